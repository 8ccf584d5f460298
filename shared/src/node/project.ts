import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseIgnoreFile, type IgnoreRules } from '../scan/index.js';

export const IGNORE_FILE_NAME = '.signusignore';

/** The nearest directory at or above `from` holding `.git` (a work tree's top); else `from` itself. */
export function findProjectRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
}

/** `.signusignore` at the project root, if there is one. Throws IgnoreFileError on a bad line. */
export function loadIgnoreFile(root: string): IgnoreRules | undefined {
  const file = join(root, IGNORE_FILE_NAME);
  if (!existsSync(file)) return undefined;
  return parseIgnoreFile(readFileSync(file, 'utf8'), file);
}
