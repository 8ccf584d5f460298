// Checks what `pnpm zip` made, as the stores will see it: the Chrome and Firefox packages and the sources
// archive AMO asks for. The Firefox package is unpacked and linted by `web-ext lint` with warnings as
// errors; both manifests ask for exactly the permissions docs/store-listing.md justifies. With
// --rebuild, the sources archive is unpacked, installed offline from the lockfile and built, and the
// result must equal the Firefox package byte for byte (what an AMO reviewer does).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import JSZip from 'jszip';

const here = new URL('..', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const zipPath = (name) => join(here, '.output', `signus-key-tester-${version}-${name}.zip`);

const PERMISSIONS = ['storage', 'contextMenus', 'webRequest', 'scripting'];
const HOSTS = ['https://api.signus.ai/*', 'http://127.0.0.1/*', 'http://localhost/*'];
const OPTIONAL_HOSTS = ['https://*/*', 'http://*/*'];

const problems = [];
const check = (ok, message) => {
  if (!ok) problems.push(message);
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

async function open(name) {
  try {
    return await JSZip.loadAsync(readFileSync(zipPath(name)));
  } catch (error) {
    throw new Error(`No ${name} package at ${zipPath(name)} (run \`pnpm zip\` first): ${error.message}`, {
      cause: error,
    });
  }
}

async function unpack(zip, dir) {
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    const target = join(dir, entry.name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, await entry.async('nodebuffer'));
  }
}

const chrome = await open('chrome');
const firefox = await open('firefox');
const sources = await open('sources');

const chromeManifest = JSON.parse(await chrome.file('manifest.json').async('string'));
check(chromeManifest.manifest_version === 3, 'Chrome package: not Manifest V3');
check(same(chromeManifest.permissions, PERMISSIONS), `Chrome permissions: ${chromeManifest.permissions}`);
check(same(chromeManifest.host_permissions, HOSTS), `Chrome host permissions: ${chromeManifest.host_permissions}`);
check(same(chromeManifest.optional_host_permissions, OPTIONAL_HOSTS), 'Chrome optional host permissions');
check(chromeManifest.commands?._execute_action?.suggested_key?.default === 'Alt+Shift+K', 'Chrome: no shortcut');

const firefoxManifest = JSON.parse(await firefox.file('manifest.json').async('string'));
const gecko = firefoxManifest.browser_specific_settings?.gecko ?? {};
check(
  same(firefoxManifest.permissions, [...PERMISSIONS, ...HOSTS]),
  `Firefox permissions: ${firefoxManifest.permissions}`,
);
check(same(gecko.data_collection_permissions, { required: ['authenticationInfo'] }), 'Firefox data collection');
check(firefoxManifest.browser_specific_settings?.gecko_android === undefined, 'Firefox package declares Android');
check(
  firefoxManifest.commands?._execute_browser_action?.suggested_key?.default === 'Alt+Shift+K',
  'Firefox: no shortcut',
);

for (const [name, zip] of [
  ['Chrome', chrome],
  ['Firefox', firefox],
]) {
  for (const entry of Object.values(zip.files)) {
    if (!entry.name.endsWith('.js')) continue;
    check(!/\.innerHTML\s*=/.test(await entry.async('string')), `${name} package: ${entry.name} assigns innerHTML`);
  }
}

const sourceNames = Object.keys(sources.files);
for (const needed of [
  'package.json',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  'extension-browser/README.md',
  'extension-browser/wxt.config.ts',
  'shared/src/index.ts',
]) {
  check(sourceNames.includes(needed), `sources archive lacks ${needed}`);
}
for (const name of sourceNames) {
  check(!/(^|\/)(node_modules|\.output|\.wxt|out|dist|test-results)\//.test(name), `sources archive holds ${name}`);
}

const work = mkdtempSync(join(tmpdir(), 'signus-store-'));
try {
  const unpacked = join(work, 'firefox');
  await unpack(firefox, unpacked);
  const webExt = join(here, 'node_modules', '.bin', 'web-ext');
  const lint = JSON.parse(
    execFileSync(webExt, ['lint', '--source-dir', unpacked, '--self-hosted=false', '--output', 'json'], {
      encoding: 'utf8',
    }),
  );
  for (const kind of ['errors', 'warnings', 'notices']) {
    for (const item of lint[kind]) problems.push(`web-ext lint ${kind}: ${item.code} ${item.message} (${item.file})`);
  }
  console.log(`web-ext lint of the Firefox package: ${JSON.stringify(lint.summary)}`);

  if (process.argv.includes('--rebuild')) {
    const source = join(work, 'sources');
    await unpack(sources, source);
    const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    run('pnpm', ['install', '--frozen-lockfile', '--offline'], source);
    run('pnpm', ['--filter', '@signus/extension-browser', 'build'], source);
    const rebuilt = join(source, 'extension-browser', '.output', 'firefox-mv2');
    const differ = [];
    for (const file of walk(unpacked)) {
      const name = relative(unpacked, file);
      if (digest(file) !== digest(join(rebuilt, name))) differ.push(name);
    }
    check(differ.length === 0, `rebuilt from sources, these differ from the Firefox package: ${differ.join(', ')}`);
    console.log('sources archive: rebuilt offline from the lockfile, identical to the Firefox package');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function digest(path) {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return 'missing';
  }
}

if (problems.length > 0) {
  console.error(`store packages: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `store packages: chrome ${statSync(zipPath('chrome')).size} B, firefox ${statSync(zipPath('firefox')).size} B, sources ${statSync(zipPath('sources')).size} B — permissions as justified, no innerHTML, lint clean`,
);
