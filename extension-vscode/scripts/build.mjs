// Bundles the extension into one CommonJS file, copies the signus CLI in for the git hook, and lays out
// out/vsix/: exactly what the .vsix holds and what the extension-host tests load.
// `--tests` also bundles the host tests. Usage: node scripts/build.mjs [--tests]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, 'out', 'vsix');
const sharedCli = join(root, '..', 'shared', 'dist', 'signus.mjs');

if (!existsSync(sharedCli)) {
  // `pnpm build` builds shared first; this covers running the package's build on its own.
  execFileSync(process.execPath, ['build.mjs'], { cwd: join(root, '..', 'shared'), stdio: 'inherit' });
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'dist', 'cli'), { recursive: true });

await build({
  entryPoints: [join(root, 'src', 'extension.ts')],
  outfile: join(stage, 'dist', 'extension.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
cpSync(sharedCli, join(stage, 'dist', 'cli', 'signus.mjs'));
// The pre-commit hook's own small entry beside it: hooks installed from VS Code start it, not the whole CLI.
cpSync(join(dirname(sharedCli), 'signus-hook.cjs'), join(stage, 'dist', 'cli', 'signus-hook.cjs'));

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const { 'x-vsce-name': vsceName, scripts: _s, devDependencies: _d, dependencies: _p, type: _t, ...rest } = manifest;
writeFileSync(join(stage, 'package.json'), `${JSON.stringify({ ...rest, name: vsceName }, null, 2)}\n`);
for (const item of ['media', 'README.md', 'CHANGELOG.md', 'LICENSE.txt']) {
  if (existsSync(join(root, item))) cpSync(join(root, item), join(stage, item), { recursive: true });
}

if (process.argv.includes('--tests')) {
  rmSync(join(root, 'out', 'test'), { recursive: true, force: true });
  // host: the main suite in a trusted workspace; host-untrusted: a separate run in Restricted Mode.
  for (const suite of ['host', 'host-untrusted']) {
    const testDir = join(root, 'test', suite);
    const entries = readdirSync(testDir)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => join(testDir, f));
    await build({
      entryPoints: entries,
      outdir: join(root, 'out', 'test', suite),
      outExtension: { '.js': '.cjs' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode', 'mocha'],
      sourcemap: 'inline',
      logLevel: 'warning',
    });
  }
}
console.log(`extension-vscode: bundled into ${stage}`);
