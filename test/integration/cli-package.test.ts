/**
 * The npm package @signus/cli (shared/out/signus-cli-<version>.tgz) on a machine that has only node and
 * npm: installed offline into a temporary prefix, then `scan`, `test` and `hook install` run from there.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { cleanupTempDirs, fakeKey, isolatedEnv, makeRepo, tempDir } from './scan-helpers.js';

const OUT = fileURLToPath(new URL('../../shared/out/', import.meta.url));

let tgz: string;

function tarball(): string {
  const { version } = JSON.parse(readFileSync(join(OUT, '..', 'package.json'), 'utf8')) as { version: string };
  const file = join(OUT, `signus-cli-${version}.tgz`);
  if (!existsSync(file)) throw new Error(`The CLI package is not built (${file}). Run "pnpm build" first.`);
  return file;
}

let emu: RunningEmulator;
let prefix: string;
let signus: string;
let env: Record<string, string>;

beforeAll(async () => {
  tgz = tarball();
  const home = tempDir('signus-npm-home-');
  prefix = tempDir('signus-prefix-');
  // A fresh npm cache and no registry: the install must need nothing but the tarball.
  env = {
    ...isolatedEnv(home),
    npm_config_cache: join(home, 'npm-cache'),
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  execFileSync('npm', ['install', '-g', '--offline', '--prefix', prefix, tgz], { env, stdio: 'pipe' });
  signus = join(prefix, 'bin', 'signus');
  emu = await startEmulator();
}, 60_000);
afterAll(async () => {
  await emu?.close();
  cleanupTempDirs();
});

/** Asynchronous: the emulator answers from this same process. */
function run(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(signus, args, { cwd: options.cwd, env: { ...env, ...options.env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      if (error && code === null) reject(error);
      else resolve({ code, stdout, stderr });
    });
  });
}

describe('the @signus/cli tarball, installed with npm into an empty prefix', { timeout: 60_000 }, () => {
  it('is one file with no dependencies, and links the signus command', async () => {
    const pkgDir = join(prefix, 'lib', 'node_modules', '@signus', 'cli');
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: '@signus/cli', bin: { signus: 'signus.mjs' } });
    expect(manifest.dependencies).toBeUndefined();
    expect(readdirSync(pkgDir).sort()).toEqual(['README.md', 'package.json', 'signus-hook.cjs', 'signus.mjs']);
    expect(realpathSync(signus)).toBe(realpathSync(join(pkgDir, 'signus.mjs')));
    expect((await run(['--version'])).stdout.trim()).toBe(manifest.version);
  });

  it('runs with npx from the tarball, offline, with an empty npm cache', () => {
    const out = execFileSync('npx', ['--yes', '--offline', '--package', tgz, 'signus', '--version'], {
      env: { ...env, npm_config_cache: tempDir('signus-npx-cache-') },
      encoding: 'utf8',
    });
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('runs scan: finds a key in a repository, masked', async () => {
    const repo = makeRepo();
    const key = fakeKey();
    repo.write('config.js', `export const apiKey = '${key}';\n`);
    const scan = await run(['scan', '--format', 'json'], { cwd: repo.dir });
    expect(scan.code).toBe(1);
    const report = JSON.parse(scan.stdout) as { findings: { path: string; masked: string }[] };
    expect(report.findings).toMatchObject([{ path: 'config.js', masked: `sk_••••••••${key.slice(-4)}` }]);
    expect(scan.stdout + scan.stderr).not.toContain(key);
  });

  it('runs test against the emulator', async () => {
    const ok = await run(['test'], {
      env: { SIGNUS_API_KEY: emu.apiKey, SIGNUS_ACCOUNT_ID: emu.accountId, SIGNUS_BASE_URL: emu.url },
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/✓ Valid {2}200 OK/);
    const bad = await run(['test'], {
      env: { SIGNUS_API_KEY: fakeKey(), SIGNUS_ACCOUNT_ID: emu.accountId, SIGNUS_BASE_URL: emu.url },
    });
    expect(bad.code).toBe(1);
  });

  it('runs hook install: the hook names the installed file and blocks a commit that adds a key', async () => {
    const repo = makeRepo();
    repo.write('README.md', '# demo\n');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'init');
    const install = await run(['hook', 'install'], { cwd: repo.dir });
    expect(install.code).toBe(0);
    const hook = readFileSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), 'utf8');
    expect(hook).toContain(
      `# signus-cli: ${realpathSync(join(prefix, 'lib', 'node_modules', '@signus', 'cli', 'signus.mjs'))}`,
    );
    const key = fakeKey();
    repo.write('client.ts', `const key = "${key}";\n`);
    repo.git('add', '.');
    const blocked = repo.tryGit('commit', '-m', 'add client');
    expect(blocked.code).toBe(1);
    expect(blocked.output).toContain('The commit was blocked.');
    expect(blocked.output).not.toContain(key);
    expect(repo.git('rev-list', '--count', 'HEAD').trim()).toBe('1');
  });
});
