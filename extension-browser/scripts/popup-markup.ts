/**
 * The popup's form as HTML, rendered at build time (scripts/prerender-popup.ts puts it into popup.html), so
 * the browser paints the form as soon as it has parsed the page and its stylesheet, before any module
 * loads; main.tsx then hydrates it. Rendered without storage or any browser API: only the defaults every
 * user starts from, never a key, an Account ID or a setting.
 */
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Platform } from '../src/lib/platform.js';
import { Popup } from '../src/ui/Popup.js';

/** Rendering runs no effect and no handler: a call into the browser here would be a bug, and fails the build. */
const noBrowser = new Proxy({} as Platform, {
  get: (_target, name) => () => {
    throw new Error(`The popup's prerender called platform.${String(name)}: it must render from defaults only`);
  },
});

/**
 * Loaded by WXT's entrypoint importer (vite-node, with this project's Vite plugins), which hands back the
 * default export; an object, because the importer first rewrites the entrypoint's `export default` and
 * cannot handle a function declaration there.
 */
export default {
  render: (): string => renderToString(h(Popup, { platform: noBrowser })),
};
