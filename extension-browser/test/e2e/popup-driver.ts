import { startEmulator, type RunningEmulator } from '@signus/test/emulator';
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ExtensionBrowser, ExtensionPage } from './extension-browser.js';

/**
 * What a person does in the popup and the options page, for every puppeteer-driven suite (headless and
 * toolbar Chromium, Firefox): one copy of the form filling and result reading.
 */

export interface Attempt {
  key: string;
  accountId: string;
  /** An option value of the Environment select: `emulator`, `production`, `custom` or a saved one's id. */
  environment?: string;
  customUrl?: string;
}

/** The server's own key and account, tested as a Custom… base URL. */
export const customUrlAttempt = (server: RunningEmulator): Attempt => ({
  key: server.apiKey,
  accountId: server.accountId,
  environment: 'custom',
  customUrl: server.url,
});

export const text = (page: Page, selector: string): Promise<string> =>
  page.$eval(selector, (el) => (el as HTMLElement).innerText);

export const valueOf = (page: Page | Frame, selector: string): Promise<string> =>
  page.$eval(selector, (el) => (el as HTMLInputElement).value);

/**
 * Waits until the page shows this text. Checked on every frame: puppeteer's `::-p-text` waits on DOM
 * mutations and misses a text node whose data alone changed (a button's label going to "Copied").
 */
export async function waitForText(page: Page, wanted: string, timeout = 5_000): Promise<void> {
  await page.waitForFunction((text) => document.body.innerText.includes(text), { timeout, polling: 'raf' }, wanted);
}

/** Fills the form as a person would, without submitting it. */
export async function fillForm(page: Page, attempt: Attempt): Promise<void> {
  await page.select('#environment', attempt.environment ?? 'emulator');
  if (attempt.customUrl !== undefined) await page.locator('#base-url').fill(attempt.customUrl);
  await page.locator('#account-id').fill(attempt.accountId);
  await page.locator('#api-key').fill(attempt.key);
}

/** Fills the form and presses Enter in the key field. */
export async function startTest(page: Page, attempt: Attempt): Promise<void> {
  await fillForm(page, attempt);
  await page.focus('#api-key');
  await page.keyboard.press('Enter');
}

export interface Outcome {
  verdict: string | null;
  cause: string | null;
  status: string;
  hint: string;
}

/** The shown result, once there is one. */
export async function outcomeOf(page: Page, timeout = 10_000): Promise<Outcome> {
  const shown = await page.waitForSelector('.outcome[data-verdict]', { timeout });
  return shown!.evaluate((el) => ({
    verdict: el.getAttribute('data-verdict'),
    cause: el.getAttribute('data-cause'),
    status: (document.querySelector('.status') as HTMLElement | null)?.innerText ?? '',
    hint: (el.querySelector('.hint') as HTMLElement | null)?.innerText ?? '',
  }));
}

export async function verdictOf(page: Page, timeout = 10_000): Promise<string> {
  return (await outcomeOf(page, timeout)).verdict!;
}

/** Points "Local emulator" at this run's emulator, in the options page, as a user would. */
export async function useEmulator(options: Page, url: string): Promise<void> {
  await options.locator('#emulator-url').fill(url);
  await options.locator('::-p-text(Save emulator URL)').click();
  await waitForText(options, 'Saved the local emulator URL.');
}

/** Anything that runs a function in one of the extension's pages or workers (puppeteer's or Playwright's). */
interface InExtension {
  evaluate<T>(fn: () => Promise<T>): Promise<T>;
}

/** Everything in the extension's storage areas: one string to look for a secret in. */
export async function storageDump(where: InExtension): Promise<{ local: string; session: string }> {
  return where.evaluate(async () => {
    // Firefox's promise-based API is `browser`; Chromium's `chrome` returns promises too (MV3).
    const scope = globalThis as unknown as Record<'browser' | 'chrome', typeof import('webextension-polyfill')>;
    const api = scope.browser ?? scope.chrome;
    return {
      local: JSON.stringify(await api.storage.local.get(null)),
      session: JSON.stringify(await api.storage.session.get(null)),
    };
  });
}

/** The tests "Recent tests" lists, as stored: a test that never ran must not be among them. */
export async function storedHistory(where: InExtension): Promise<{ baseUrl: string; verdict: string }[]> {
  return where.evaluate(async () => {
    const scope = globalThis as unknown as Record<'browser' | 'chrome', typeof import('webextension-polyfill')>;
    const api = scope.browser ?? scope.chrome;
    return ((await api.storage.local.get('history')).history ?? []) as { baseUrl: string; verdict: string }[];
  });
}

export interface EmulatorSession {
  readonly ext: ExtensionBrowser;
  readonly emulator: RunningEmulator;
  /** A popup page, closed after the test. */
  popup(): Promise<Page>;
  /** Any extension page, closed after the test. */
  open(path: ExtensionPage): Promise<Page>;
}

/**
 * A browser with the extension and a fresh emulator for one describe block: started before its tests,
 * "Local emulator" pointed at the emulator, pages and injected faults dropped after each test.
 */
export function emulatorSession(launch: () => Promise<ExtensionBrowser>): EmulatorSession {
  let ext: ExtensionBrowser | undefined;
  let emulator: RunningEmulator | undefined;
  const pages: Page[] = [];

  beforeAll(async () => {
    emulator = await startEmulator();
    ext = await launch();
    const options = await ext.open('options.html');
    await useEmulator(options, emulator.url);
    await options.close();
  });
  afterAll(async () => {
    await ext?.close();
    await emulator?.close();
  });
  afterEach(async () => {
    emulator?.clearFaults();
    for (const page of pages.splice(0)) await page.close();
  });

  const session: EmulatorSession = {
    get ext() {
      return ext!;
    },
    get emulator() {
      return emulator!;
    },
    async open(path) {
      const page = await session.ext.open(path);
      pages.push(page);
      return page;
    },
    async popup() {
      const page = await session.open('popup.html');
      await page.waitForSelector('#api-key');
      return page;
    },
  };
  return session;
}
