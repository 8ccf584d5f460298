/**
 * The popup's first paint waits for every module it imports statically, and each chunk is one more file to
 * fetch and link before its script can run. Rollup split the libraries the popup and the options page share
 * (Preact, its hooks, the JSX runtime, the polyfill, WXT's browser, Vite's preload helper) into five chunks;
 * this puts them into one, `runtime` (popup: eight first-paint scripts → five, and 0.5 KiB gzip less).
 * Only the pages' ES build is touched: the background and content scripts are single-file IIFE builds.
 */

type ManualChunks = (id: string) => string | undefined;

/** The part of a Vite plugin this needs (vite itself is WXT's dependency, not this package's). */
interface OutputPlugin {
  name: string;
  outputOptions<T extends { format?: string }>(options: T): T | undefined;
}

/**
 * Libraries and helpers every page loads before first paint. Only these, by name: the core is imported
 * through one index module, so a module graph's static closure would drag in what loads later.
 */
const RUNTIME = /[\\/]node_modules[\\/](preact|webextension-polyfill|wxt|@wxt-dev)[\\/]|vite[\\/]preload-helper|^\0/;

export function firstPaintChunks(): OutputPlugin {
  const manualChunks: ManualChunks = (id) => (RUNTIME.test(id) ? 'runtime' : undefined);
  return {
    name: 'signus:first-paint-chunks',
    outputOptions(output) {
      if (output.format !== undefined && output.format !== 'es') return undefined;
      return { ...output, manualChunks };
    },
  };
}
