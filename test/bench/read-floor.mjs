// The floor for a tree scan: Node walking the tree and reading every file, matching nothing.
// Usage: node read-floor.mjs DIR  → prints {"files":N,"bytes":N}
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let files = 0;
let bytes = 0;
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isSymbolicLink() || entry.name === '.git') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.isFile()) {
      bytes += readFileSync(path).length;
      files++;
    }
  }
}
walk(process.argv[2] ?? '.');
console.log(JSON.stringify({ files, bytes }));
