// How the e2e tests and the benchmark start Debian's Chromium with the built extension: one place, so the
// benchmark measures the browser the tests check. Plain JS so the benchmark can run it with `node`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EXTENSION_DIR = new URL('../../.output/chrome-mv3/', import.meta.url).pathname;

/** Loads the unpacked build in `dir`; root-safe; no background traffic. */
export function chromiumArgs(dir = EXTENSION_DIR) {
  return [
    `--disable-extensions-except=${dir}`,
    `--load-extension=${dir}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ];
}

export const CHROMIUM_ARGS = chromiumArgs();

/** Throws, never skips, when the browser or the build is missing. */
export function requireChromiumAndBuild() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: the end-to-end tests need it (apt-get install -y chromium, or set CHROMIUM_PATH).`,
    );
  }
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No extension build in ${EXTENSION_DIR}: run \`pnpm build\` in extension-browser first.`);
  }
}

/** Options for playwright-core's `chromium.launchPersistentContext`: headless, the build in `dir`. */
export function launchOptions(viewport, dir = EXTENSION_DIR) {
  return { executablePath: CHROMIUM, headless: true, viewport, args: chromiumArgs(dir) };
}
