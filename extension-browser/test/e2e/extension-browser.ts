import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type LaunchOptions, type Page } from 'puppeteer-core';
import { CHROMIUM, CHROMIUM_ARGS, EXTENSION_DIR, requireChromiumAndBuild } from './chromium-launch.mjs';

/**
 * One way to start a real browser with the built extension and open its pages, for every puppeteer-driven
 * suite: headless Chromium over the DevTools protocol, Firefox over WebDriver BiDi (puppeteer-core speaks
 * both, so the same test code drives either).
 */

export type ExtensionPage = 'popup.html' | 'options.html';

export interface ExtensionBrowser {
  name: 'Chromium' | 'Firefox';
  browser: Browser;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>`. */
  base: string;
  open(path: ExtensionPage): Promise<Page>;
  close(): Promise<void>;
}

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = new URL('../../.output/firefox-mv2/', import.meta.url).pathname;
export const GECKO_ID = 'key-tester@signus-devtools.example';
/** Firefox gives each install a random internal UUID; the pref below fixes it so the tests know the pages' URLs. */
export const FIREFOX_UUID = '5d1e7a3c-0f4b-4c1e-9a57-51a9a5e12e12';

/** Chromium names an unpacked extension after its folder: sha256 of the path, first 32 hex digits as a–p. */
export function unpackedExtensionId(dir: string): string {
  const hex = createHash('sha256').update(dir.replace(/\/$/, '')).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

/**
 * A page is ready once its `<main>` holds no busy form: the popup paints its form before it has read
 * storage, `aria-busy` until what storage holds is filled in (src/entrypoints/popup/main.tsx).
 */
export const PAGE_READY = 'main:not(:has([aria-busy="true"]))';

/**
 * Opens an extension page in a new tab and waits until it is ready (PAGE_READY). Firefox does not report the load event
 * of a moz-extension:// page to WebDriver BiDi, so its navigation times out while the page is there.
 */
export async function openExtensionPage(browser: Browser, base: string, path: ExtensionPage): Promise<Page> {
  const page = await browser.newPage();
  const loaded = page.goto(`${base}/${path}`, { timeout: 5_000 });
  if (!base.startsWith('moz-extension:')) {
    await loaded;
    await page.waitForSelector(PAGE_READY);
    return page;
  }
  // Firefox: a ready <main> says the page is there. A query that meets the document being replaced fails, so
  // it is asked again until the page's own document answers.
  loaded.catch(() => undefined);
  const end = Date.now() + 10_000;
  for (;;) {
    try {
      await page.waitForSelector(PAGE_READY, { timeout: 1_000 });
      return page;
    } catch (error) {
      if (Date.now() > end) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function started(
  name: ExtensionBrowser['name'],
  options: LaunchOptions,
  profile: string,
  ready: (browser: Browser) => Promise<string>,
): Promise<ExtensionBrowser> {
  const browser = await puppeteer.launch(options);
  let base: string;
  try {
    base = await ready(browser);
  } catch (error) {
    await browser.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    name,
    browser,
    base,
    open: (path) => openExtensionPage(browser, base, path),
    async close() {
      await browser.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with the unpacked build. Fails loudly when either is missing. */
export async function launchChromium(options: { extraArgs?: string[] } = {}): Promise<ExtensionBrowser> {
  requireChromiumAndBuild();
  const profile = await mkdtemp(join(tmpdir(), 'signus-ext-chromium-'));
  const id = unpackedExtensionId(EXTENSION_DIR);
  return started(
    'Chromium',
    {
      executablePath: CHROMIUM,
      headless: true,
      pipe: true,
      userDataDir: profile,
      defaultViewport: { width: 400, height: 640 },
      args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    },
    profile,
    async (browser) => {
      await browser.waitForTarget(
        (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${id}/`),
        { timeout: 15_000 },
      );
      const base = `chrome-extension://${id}`;
      await browser
        .defaultBrowserContext()
        .overridePermissions(base, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
      return base;
    },
  );
}

/**
 * Debian's Firefox ESR, headless, over WebDriver BiDi, with the unpacked Firefox build installed as a
 * temporary add-on. Fails loudly (never skips) when Firefox or the build is missing.
 */
export async function launchFirefox(options: { prefs?: Record<string, unknown> } = {}): Promise<ExtensionBrowser> {
  if (!existsSync(FIREFOX)) {
    throw new Error(
      `No Firefox at ${FIREFOX}: the Firefox end-to-end tests need it (apt-get install -y firefox-esr; scripts/setup.sh installs it; or set FIREFOX_PATH).`,
    );
  }
  if (!existsSync(join(FIREFOX_EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No Firefox build in ${FIREFOX_EXTENSION_DIR}: run \`pnpm build\` in extension-browser first.`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'signus-ext-firefox-'));
  return started(
    'Firefox',
    {
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      userDataDir: profile,
      defaultViewport: { width: 400, height: 640 },
      // Firefox 153 refuses WebDriver navigation to moz-extension:// pages without it.
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
        ...options.prefs,
      },
    },
    profile,
    async (browser) => {
      await browser.installExtension(FIREFOX_EXTENSION_DIR);
      return `moz-extension://${FIREFOX_UUID}`;
    },
  );
}
