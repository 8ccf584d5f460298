// How the e2e tests and the benchmark start Debian's Chromium with the built extension: one place, so the
// benchmark measures the browser the tests check. Plain JS so the benchmark can run it with `node`.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EXTENSION_DIR = new URL('../../.output/chrome-mv3/', import.meta.url).pathname;

/** Options for playwright-core's `chromium.launchPersistentContext`: headless, root-safe, no background traffic. */
export function launchOptions(viewport) {
  return {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  };
}
