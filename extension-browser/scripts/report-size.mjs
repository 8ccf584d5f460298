// Prints the size of what the popup loads (its scripts and styles, raw and gzipped) for each build.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('../.output/', import.meta.url).pathname;
// What the popup's scripts may weigh before its first paint: 15 KB gzip (decimal, the stricter reading).
const BUDGET_GZIP_BYTES = 15_000;

const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[\w${},*\s]*?from\s*)?["'](\.{1,2}\/[^"']+)["']/g;
const DYNAMIC_IMPORT = /import\(["'](\.{1,2}\/[^"']+)["']\)/g;

/** The modules these import, statically only or also through `import()`, and what those import. */
function closure(buildDir, files, dynamic) {
  const found = new Set(files);
  for (const file of found) {
    if (!file.endsWith('.js')) continue;
    const code = readFileSync(join(buildDir, file), 'utf8');
    for (const pattern of dynamic ? [STATIC_IMPORT, DYNAMIC_IMPORT] : [STATIC_IMPORT]) {
      for (const [, spec] of code.matchAll(pattern)) found.add(join(dirname(file), spec));
    }
  }
  return found;
}

function measured(buildDir, files) {
  return [...files].map((file) => {
    const bytes = readFileSync(join(buildDir, file));
    return { file: `/${file}`, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}

/**
 * What the browser loads before the popup can paint: the page's scripts and styles and, whether or not
 * the page preloads them, every module they import statically. Then what `import()` fetches after.
 */
function popupAssets(buildDir) {
  const html = readFileSync(join(buildDir, 'popup.html'), 'utf8');
  const page = [...html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  // The module popup-boot.js imports after the first paint (scripts/late-hydration.ts).
  const deferred = page.flatMap((file) =>
    file.endsWith('.js')
      ? [...readFileSync(join(buildDir, file), 'utf8').matchAll(/import\('\/([^']+\.js)'\)/g)].map((m) => m[1])
      : [],
  );
  // The page itself too: it holds the prerendered form (scripts/prerender-popup.ts).
  const first = closure(buildDir, ['popup.html', ...page], false);
  const later = [...closure(buildDir, [...page, ...deferred], true)].filter((file) => !first.has(file));
  return { first: measured(buildDir, first), later: measured(buildDir, later) };
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
  const { first: assets, later } = popupAssets(dir);
  const js = assets.filter((a) => a.file.endsWith('.js'));
  const total = (list, key) => list.reduce((sum, a) => sum + a[key], 0);
  console.log(`popup size (${target}):`);
  for (const a of assets)
    console.log(`  ${a.file.padEnd(40)} ${kb(a.raw).padStart(10)} raw ${kb(a.gzip).padStart(10)} gzip`);
  console.log(
    `  ${'scripts total'.padEnd(40)} ${kb(total(js, 'raw')).padStart(10)} raw ${kb(total(js, 'gzip')).padStart(10)} gzip` +
      ` (${total(js, 'gzip')} bytes; budget ${BUDGET_GZIP_BYTES})`,
  );
  // What the popup fetches once its form is painted (its module, then src/lib/load-tester.ts's), for the whole picture.
  console.log(
    `  ${'after first paint (app, checks, tester)'.padEnd(40)} ${kb(total(later, 'raw')).padStart(10)} raw ${kb(total(later, 'gzip')).padStart(10)} gzip`,
  );
  if (total(js, 'gzip') > BUDGET_GZIP_BYTES) {
    console.error(`popup scripts are over the ${kb(BUDGET_GZIP_BYTES)} gzip budget`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
