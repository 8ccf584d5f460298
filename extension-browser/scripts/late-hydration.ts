/**
 * popup.html starts its module after the first paint, through popup-boot.js (src/entrypoints/popup/boot.js,
 * written into the build with the module's name). Chromium shows an extension's popup only once its page
 * has loaded, and a module script (with every module it imports) holds up the load event; the prerendered
 * form (prerender-popup.ts) needs no script to be painted. Same run against the build before, 25 opens
 * each, quiet: open → first paint 0.89 (−45 ms), the popup's share over a blank page 99 → 54 ms
 * (extension-browser/README.md, "Benchmark"). The build fails if the page's module tag is not where this
 * expects it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MODULE_TAG = /<script type="module" crossorigin src="(\/chunks\/popup-[\w-]+\.js)"><\/script>/;
export const BOOT_FILE = 'popup-boot.js';
export const BOOT_TAG = `<script defer src="/${BOOT_FILE}"></script>`;
const BOOT_SOURCE = join(dirname(fileURLToPath(import.meta.url)), '../src/entrypoints/popup/boot.js');

/** The part of a Vite plugin this needs (vite itself is WXT's dependency, not this package's). */
interface BootPlugin {
  name: string;
  apply: 'build';
  enforce: 'post';
  transformIndexHtml: {
    order: 'post';
    handler(html: string, context: { filename: string }): string | undefined;
  };
  generateBundle(this: { emitFile(file: { type: 'asset'; fileName: string; source: string }): string }): void;
}

const FRAMES_DECIDE = 'var framesDecide = false;';

/**
 * The boot script for a build whose popup module is `module` (a path from the extension's root); in
 * Firefox's build the second frame, not a paint observer, tells it the form is painted (boot.js says why).
 */
export function bootScript(module: string, firefox: boolean, source = readFileSync(BOOT_SOURCE, 'utf8')): string {
  if (!/^\/chunks\/[\w.-]+\.js$/.test(module)) throw new Error(`late-hydration: unexpected module path ${module}`);
  for (const token of ["'POPUP_MODULE'", FRAMES_DECIDE])
    if (source.split(token).length !== 2) throw new Error(`late-hydration: ${token} not found once in boot.js`);
  return source
    .replace("'POPUP_MODULE'", `'${module}'`)
    .replace(FRAMES_DECIDE, `var framesDecide = ${String(firefox)};`);
}

export function lateHydration(browser: string): BootPlugin {
  let module: string | undefined;
  return {
    name: 'signus:late-hydration',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(html, { filename }) {
        if (!/[\\/]entrypoints[\\/]popup[\\/]index\.html$/.test(filename)) return undefined;
        const tag = MODULE_TAG.exec(html);
        if (!tag) throw new Error(`late-hydration: the popup's module tag was not found in ${filename}`);
        if (MODULE_TAG.test(html.slice(tag.index + tag[0].length)))
          throw new Error(`late-hydration: more than one module tag in ${filename}`);
        module = tag[1]!;
        return html.replace(tag[0], BOOT_TAG);
      },
    },
    // After the pages' HTML is written (enforce: post), so the module's name is known.
    generateBundle() {
      if (module === undefined) return;
      this.emitFile({ type: 'asset', fileName: BOOT_FILE, source: bootScript(module, browser === 'firefox') });
    },
  };
}
