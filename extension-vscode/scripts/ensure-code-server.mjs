// Installs the VS Code server from the npm package code-server into a cache folder, on demand.
// Desktop VS Code (Electron) cannot be downloaded on our machines; code-server's server is the same
// workbench and extension host, and it installs from the npm registry. See shared/test-recipes.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const here = dirname(fileURLToPath(import.meta.url));
export const cacheDir = process.env.SIGNUS_VSCODE_CACHE ?? join(here, '..', '.cache');
const installDir = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
export const serverMain = join(installDir, 'node_modules/code-server/lib/vscode/out/server-main.js');

function fail(message) {
  console.error(`ensure-code-server: ${message}`);
  process.exit(1);
}

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
}

/** Debian packages the install needs: kerberos builds from source; ripgrep stands in for a GitHub download. */
function ensureSystemPackages() {
  const missing = [];
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (!which('rg')) missing.push('ripgrep');
  if (!which('chromium') && !existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!which('git')) missing.push('git');
  // node-gyp builds kerberos from source.
  if (!which('make') || !which('g++')) missing.push('build-essential');
  if (!which('python3')) missing.push('python3');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0)
    fail(`missing Debian packages: ${missing.join(' ')}. Run: sudo apt-get install -y ${missing.join(' ')}`);
  console.error(`ensure-code-server: installing ${missing.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit', env });
}

/**
 * The environment without the npm_* variables a parent `pnpm run` sets: code-server's postinstall reads
 * npm_config_user_agent to pick a package manager and fails on pnpm's.
 */
function npmFreeEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

export function ensureCodeServer() {
  if (existsSync(serverMain)) return serverMain;
  ensureSystemPackages();
  const rgCache = join(tmpdir(), RIPGREP_CACHE);
  mkdirSync(rgCache, { recursive: true });
  const rgTarball = join(rgCache, RIPGREP_ASSET);
  if (!existsSync(rgTarball)) execFileSync('tar', ['czf', rgTarball, '-C', dirname(which('rg')), 'rg']);

  rmSync(installDir, { recursive: true, force: true });
  mkdirSync(installDir, { recursive: true });
  writeFileSync(join(installDir, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }));
  console.error(
    `ensure-code-server: installing code-server@${CODE_SERVER_VERSION} into ${installDir} (about a minute)`,
  );
  const result = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`],
    {
      cwd: installDir,
      stdio: 'inherit',
      env: { ...npmFreeEnv(), npm_config_unsafe_perm: 'true', npm_config_yes: 'true', CI: '' },
    },
  );
  if (result.status !== 0 || !existsSync(serverMain)) {
    fail(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${result.status}); see the output above.`);
  }
  return serverMain;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(ensureCodeServer());
}
