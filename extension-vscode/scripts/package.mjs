// `vsce package` on the staged extension (out/vsix): the .vsix holds the bundle, the CLI and the media only.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, 'out', 'vsix');
const { version } = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8'));
const name = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8')).name;
export const vsixPath = join(root, 'out', `${name}-${version}.vsix`);
const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
execFileSync(
  process.execPath,
  [vsce, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', vsixPath],
  {
    cwd: stage,
    stdio: 'inherit',
  },
);
console.log(`extension-vscode: ${vsixPath} (${(statSync(vsixPath).size / 1024).toFixed(1)} KiB)`);
