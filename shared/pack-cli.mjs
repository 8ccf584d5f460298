// Packs the bundled CLI (dist/signus.mjs, and the pre-commit hook's dist/signus-hook.cjs) as the npm package
// @signus/cli: no dependencies, so `npm install -g out/signus-cli-<version>.tgz` and `npx out/signus-cli-<version>.tgz` fetch nothing.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Writes out/signus-cli-<version>.tgz and returns its path. */
export function packCli() {
  const shared = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
  const stage = join(here, 'out', 'cli-package');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const manifest = {
    name: '@signus/cli',
    version: shared.version,
    description:
      'The signus command: test a Signus API key, find keys in files and commits, block commits and pushes that add one.',
    type: 'module',
    bin: { signus: 'signus.mjs' },
    files: ['signus.mjs', 'signus-hook.cjs'],
    engines: shared.engines,
    keywords: ['signus', 'secret-scanning', 'pre-commit', 'git-hooks', 'api-key'],
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  copyFileSync(join(here, 'cli-package', 'README.md'), join(stage, 'README.md'));
  copyFileSync(join(here, 'dist', 'signus.mjs'), join(stage, 'signus.mjs'));
  // The pre-commit hook's own file (src/cli/hook-loader.ts), which the hook runs when it is beside signus.mjs.
  copyFileSync(join(here, 'dist', 'signus-hook.cjs'), join(stage, 'signus-hook.cjs'));
  // npm itself makes the tarball, so its layout (package/…, modes, fixed dates) is exactly what npm installs.
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', join(here, 'out')], {
    cwd: stage,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [{ filename }] = JSON.parse(out);
  return join(here, 'out', filename);
}
