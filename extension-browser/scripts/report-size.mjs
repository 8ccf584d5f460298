// Prints the size of what the popup loads (its scripts and styles, raw and gzipped) for each build.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('../.output/', import.meta.url).pathname;
// The target is 15 KiB; what the popup loads before its first paint is over it today (see README).
const BUDGET_GZIP_BYTES = 20 * 1024;

function popupAssets(buildDir) {
  const html = readFileSync(join(buildDir, 'popup.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  return [...new Set(refs)].map((ref) => {
    const bytes = readFileSync(join(buildDir, ref.replace(/^\//, '')));
    return { file: ref, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
let failed = false;
for (const target of ['chrome-mv3', 'firefox-mv2']) {
  const dir = join(root, target);
  if (!existsSync(join(dir, 'popup.html'))) {
    console.error(`popup size: no build in ${dir}`);
    failed = true;
    continue;
  }
  const assets = popupAssets(dir);
  const js = assets.filter((a) => a.file.endsWith('.js'));
  const total = (list, key) => list.reduce((sum, a) => sum + a[key], 0);
  console.log(`popup size (${target}):`);
  for (const a of assets)
    console.log(`  ${a.file.padEnd(40)} ${kb(a.raw).padStart(10)} raw ${kb(a.gzip).padStart(10)} gzip`);
  console.log(
    `  ${'scripts total'.padEnd(40)} ${kb(total(js, 'raw')).padStart(10)} raw ${kb(total(js, 'gzip')).padStart(10)} gzip`,
  );
  // What the popup fetches once its form is painted (src/lib/load-tester.ts), for the whole picture.
  const lazy = readdirSync(join(dir, 'chunks'))
    .filter((name) => /^(tester|diagnosing-fetch)-.*\.js$/.test(name))
    .map((name) => gzipSync(readFileSync(join(dir, 'chunks', name)), { level: 9 }).length);
  console.log(
    `  ${'after first paint (tester)'.padEnd(40)} ${''.padStart(14)} ${kb(lazy.reduce((a, b) => a + b, 0)).padStart(10)} gzip`,
  );
  if (total(js, 'gzip') > BUDGET_GZIP_BYTES) {
    console.error(`popup scripts are over the ${kb(BUDGET_GZIP_BYTES)} gzip budget`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
