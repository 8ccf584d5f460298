// Fetches the real-code corpus on demand (never committed): C headers and Python from Debian packages,
// and large JS/TS packages from the npm registry, each unpacked under test/bench/.cache/realcode/.
// `pnpm bench` scans it and reports findings per MB; the leak guard must find nothing in it.
//   node test/bench/realcode-fetch.mjs [--force]
// Needs apt-get (Debian/Ubuntu package lists) and npm; runs nothing as root (apt-get download only).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REALCODE_DIR = fileURLToPath(new URL('.cache/realcode/', import.meta.url));

/**
 * Debian packages: OpenSSL's stack macros (`sk_X509_EXTENSION_value`) and the code that uses them from C
 * (curl, nginx), Rust (the openssl crates) and Python (pyOpenSSL, cryptography); the kernel's socket
 * fields (`sk_receive_queue`, in the headers of the newest `linux-headers-*-common`); scikit-learn.
 */
export const DEBIAN_PACKAGES = [
  'libssl-dev',
  'linux-libc-dev',
  'libcurl4-openssl-dev',
  'python3-sklearn',
  'nginx-dev',
  'librust-openssl-sys-dev',
  'librust-openssl-dev',
  'python3-openssl',
  'python3-cryptography',
];

/** The kernel's own headers (include/net/sock.h): the newest common headers package apt knows. */
function kernelHeadersPackage() {
  const names = run('apt-cache', ['search', '--names-only', '^linux-headers-[0-9.]+-[0-9]+-common$'])
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter(Boolean)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return names.at(-1);
}
/** Pinned, so two runs scan the same bytes. */
export const NPM_PACKAGES = [
  'typescript@5.9.3',
  'webpack@5.101.3',
  'eslint@9.35.0',
  '@babel/core@7.28.4',
  '@babel/parser@7.28.4',
  'lodash@4.17.21',
];

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

function fetchDebian(dest, downloads) {
  const headers = kernelHeadersPackage();
  for (const pkg of [...DEBIAN_PACKAGES, ...(headers ? [headers] : [])]) {
    const target = join(dest, 'debian', pkg);
    if (existsSync(target)) continue;
    process.stderr.write(`apt-get download ${pkg}\n`);
    run('apt-get', ['download', pkg], downloads);
    const deb = readdirSync(downloads).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} left no ${pkg}_*.deb in ${downloads}`);
    mkdirSync(target, { recursive: true });
    run('dpkg-deb', ['-x', join(downloads, deb), target]);
  }
}

function fetchNpm(dest, downloads) {
  for (const spec of NPM_PACKAGES) {
    const target = join(dest, 'npm', spec.replace('/', '+'));
    if (existsSync(target)) continue;
    process.stderr.write(`npm pack ${spec}\n`);
    const [{ filename }] = JSON.parse(run('npm', ['pack', spec, '--json', '--pack-destination', downloads], downloads));
    mkdirSync(target, { recursive: true });
    run('tar', ['-xzf', join(downloads, filename), '-C', target]);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--force')) rmSync(REALCODE_DIR, { recursive: true, force: true });
  const downloads = join(REALCODE_DIR, '..', 'downloads');
  mkdirSync(downloads, { recursive: true });
  mkdirSync(REALCODE_DIR, { recursive: true });
  fetchDebian(REALCODE_DIR, downloads);
  fetchNpm(REALCODE_DIR, downloads);
  writeFileSync(
    join(REALCODE_DIR, 'SOURCES.json'),
    `${JSON.stringify({ debian: DEBIAN_PACKAGES, npm: NPM_PACKAGES, fetched: new Date().toISOString() }, null, 2)}\n`,
  );
  rmSync(downloads, { recursive: true, force: true });
  process.stderr.write(`Real-code corpus ready in ${REALCODE_DIR}\n`);
}
