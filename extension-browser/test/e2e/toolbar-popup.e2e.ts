import { createServer } from 'node:http';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { maskSecret } from '@signus/shared';
import { startEmulator, type RunningEmulator } from '@signus/test/emulator';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_DIR } from './chromium.js';
import { applyTextSpacing, measureLayout, POPUP_LIMIT } from './layout-probe.js';
import { storageDump, storedHistory, text, useEmulator, valueOf, verdictOf } from './popup-driver.js';
import { startNotesPage } from './notes-page.js';
import { launchRealChromium, type RealChromium } from './real-chromium.js';

let chrome: RealChromium;
let emulator: RunningEmulator;
let site: { url: string; close(): Promise<void> };

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  emulator = await startEmulator();
  site = await startNotesPage(emulator.apiKey);
  chrome = await launchRealChromium();
  await chrome.tab.goto(site.url);
  // Point "Local emulator" at this run's emulator, in the options page, as a user would.
  const options = await chrome.openTab('options.html');
  await useEmulator(options, emulator.url);
  await options.close();
  await chrome.tab.bringToFront();
});

afterAll(async () => {
  await chrome?.close();
  await emulator?.close();
  await site?.close();
});

async function fill(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).fill(text);
}

/** Every file of the browser profile that holds the text: what reached the disk. */
async function profileFilesHolding(secret: string): Promise<string[]> {
  const dir = chrome.browser
    .process()!
    .spawnargs.find((arg) => arg.startsWith('--user-data-dir='))!
    .split('=')[1]!;
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path).catch(() => Buffer.alloc(0));
    if (bytes.includes(secret) || bytes.includes(Buffer.from(secret, 'utf16le'))) hits.push(path);
  }
  return hits;
}

async function whenClosed(page: Page, timeout = 5_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!page.isClosed()) {
    if (Date.now() > end) throw new Error('The popup is still open');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Escape, as a user closes a popup. */
async function dismiss(popup: Page): Promise<void> {
  await chrome.display.keys('Escape');
  await whenClosed(popup);
}

describe('the toolbar popup in headed Chromium (Xvfb), opened by clicking the toolbar button', () => {
  it('opens from the toolbar with focus in the key field and passes a valid key', async () => {
    const popup = await chrome.clickToolbarButton();
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('api-key');
    // The form was painted before the popup's script started, and that paint started it (popup-boot.js).
    expect(await popup.evaluate(() => document.documentElement.dataset.startedBy)).toBe('paint');
    await popup.select('#environment', 'emulator');
    await fill(popup, '#account-id', emulator.accountId);
    await fill(popup, '#api-key', emulator.apiKey);
    await popup.keyboard.press('Enter');
    expect(await verdictOf(popup)).toBe('valid');
    expect(await text(popup, '.status')).toMatch(/^200 OK\s+Valid\s+\d+ ms$/);
    expect(await text(popup, 'main')).not.toContain(emulator.apiKey);
    await popup.screenshot({ path: join(RESULTS_DIR, 'real-popup-valid.png') });
    await dismiss(popup);
  });

  it('opens from its keyboard shortcut, Alt+Shift+K (the manifest’s suggested key)', async () => {
    await chrome.tab.bringToFront();
    // With no window manager, keys go to the window under the pointer: click into the page first.
    await chrome.display.click({ x: Math.round(chrome.display.width / 2), y: chrome.display.height - 100 });
    const opening = chrome.waitForPopup();
    await chrome.display.keys('alt+shift+k');
    const popup = await opening;
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('api-key');
    await dismiss(popup);
  });

  it('tests a selection from the page’s context menu in the popup it opens', async () => {
    await chrome.testSelectionFromContextMenu('#key');
    const popup = await chrome.waitForPopup();
    expect(await valueOf(popup, '#api-key')).toBe(emulator.apiKey);
    expect(await text(popup, 'main')).toMatch(/removed Bearer prefix/);
    // Handed over in session storage and deleted as it was read.
    expect((await storageDump(await chrome.background())).session).not.toContain(emulator.apiKey);
    await dismiss(popup);
  });
});

/** Fills the form for a Custom… base URL and presses Enter: the permission dialog opens, the popup closes. */
async function testCustomUrlFromToolbar(server: RunningEmulator): Promise<void> {
  const popup = await chrome.clickToolbarButton();
  await popup.select('#environment', 'custom');
  await fill(popup, '#base-url', server.url);
  await fill(popup, '#account-id', server.accountId);
  await fill(popup, '#api-key', server.apiKey);
  void popup.keyboard.press('Enter').catch(() => undefined);
  // Chromium's permission dialog takes the focus, and a popup that loses focus closes.
  await whenClosed(popup);
}

describe('a custom base URL that needs a host permission, in the real popup', () => {
  // 127.0.0.2 and 127.0.0.3 are this machine too, but the manifest grants only 127.0.0.1 and localhost.
  it('Allow: the prompt closes the popup, which comes back by itself with the result; no key on disk', async () => {
    const elsewhere = await startEmulator({ host: '127.0.0.2' });
    try {
      await testCustomUrlFromToolbar(elsewhere);
      expect(elsewhere.requestCount()).toBe(0);
      const reopened = chrome.waitForPopup(10_000);
      await chrome.answerPermissionPrompt('allow');
      const resumed = await reopened;
      expect(await verdictOf(resumed)).toBe('valid');
      expect(elsewhere.requestCount()).toBe(1);
      expect(await valueOf(resumed, '#base-url')).toBe(elsewhere.url);
      expect(await valueOf(resumed, '#api-key')).toBe(elsewhere.apiKey);
      await resumed.screenshot({ path: join(RESULTS_DIR, 'real-popup-permission-allowed.png') });
      const dump = await storageDump(await chrome.background());
      expect(dump.local).toContain(maskSecret(elsewhere.apiKey));
      expect(dump.local).not.toContain(elsewhere.apiKey);
      // The parked draft was taken as the popup reopened: not even memory holds the key now.
      expect(dump.session).not.toContain(elsewhere.apiKey);
      expect(await profileFilesHolding(elsewhere.apiKey)).toEqual([]);
      await dismiss(resumed);
    } finally {
      await elsewhere.close();
    }
  });

  it('Deny: reopened from the toolbar, the popup says so with the form as it was, and nothing was sent', async () => {
    const elsewhere = await startEmulator({ host: '127.0.0.3' });
    try {
      const historyBefore = await storedHistory(await chrome.background());
      await testCustomUrlFromToolbar(elsewhere);
      await chrome.answerPermissionPrompt('deny');
      // Nothing reopens it after a refusal; the user does.
      const again = await chrome.clickToolbarButton();
      await again.waitForSelector('::-p-text(Host permission needed)');
      expect(await text(again, '.hint')).toMatch(/Permission to reach 127\.0\.0\.3:\d+ was not granted/);
      expect(await valueOf(again, '#api-key')).toBe(elsewhere.apiKey);
      expect(await valueOf(again, '#base-url')).toBe(elsewhere.url);
      expect(elsewhere.requestCount()).toBe(0);
      // No test ran, so none is recorded: "Recent tests" lists what it listed before (the earlier tests').
      expect(await storedHistory(await chrome.background())).toEqual(historyBefore);
      expect(await text(again, '.history summary').catch(() => 'no history')).toBe(
        historyBefore.length > 0 ? `Recent tests (${historyBefore.length})` : 'no history',
      );
      await again.screenshot({ path: join(RESULTS_DIR, 'real-popup-permission-denied.png') });
      expect((await storageDump(await chrome.background())).session).not.toContain(elsewhere.apiKey);
      expect(await profileFilesHolding(elsewhere.apiKey)).toEqual([]);
      await dismiss(again);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('every state of the real popup fits Chrome’s 800 × 600, and text spacing and 200% zoom clip nothing', () => {
  /** Drives the popup through custom URL with field errors, a long result and the open history. */
  async function everyState(popup: Page, measure: (state: string) => Promise<void>): Promise<void> {
    await popup.select('#environment', 'custom');
    await fill(popup, '#base-url', 'ftp://not a url');
    await fill(popup, '#account-id', 'not-an-account');
    await fill(popup, '#api-key', 'Bearer');
    await popup.keyboard.press('Enter');
    await popup.waitForSelector('#account-message:not(:empty)');
    await measure('field-errors');

    await popup.select('#environment', 'emulator');
    await fill(popup, '#account-id', emulator.accountId);
    await fill(popup, '#api-key', emulator.apiKey);
    await popup.keyboard.press('Enter');
    expect(await verdictOf(popup)).toBe('valid');
    await measure('long-result');

    await popup.locator('summary').click();
    await popup.waitForSelector('details.history[open]');
    await measure('history-open');
    await dismiss(popup);
  }

  it('at 100%, and with WCAG text spacing', async () => {
    const popup = await chrome.clickToolbarButton();
    await everyState(popup, async (state) => {
      const plain = await measureLayout(popup);
      await popup.screenshot({ path: join(RESULTS_DIR, `real-popup-${state}.png`) });
      expect.soft(plain.clipped, `${state}: clipped`).toEqual([]);
      expect.soft(plain.content.width, `${state}: width`).toBeLessThanOrEqual(POPUP_LIMIT.width);
      expect.soft(plain.content.height, `${state}: height`).toBeLessThanOrEqual(POPUP_LIMIT.height);
      // The popup window is as large as its content: nothing scrolls (a pixel of rounding aside).
      expect.soft(plain.content.height, `${state}: scrolls`).toBeLessThanOrEqual(plain.viewport.height + 1);

      const removeSpacing = await applyTextSpacing(popup);
      const spaced = await measureLayout(popup);
      await popup.screenshot({ path: join(RESULTS_DIR, `real-popup-${state}-text-spacing.png`) });
      expect.soft(spaced.clipped, `${state} with text spacing: clipped`).toEqual([]);
      expect.soft(spaced.content.width, `${state} with text spacing: width`).toBeLessThanOrEqual(POPUP_LIMIT.width);
      await removeSpacing();
    });
  });

  it('at 200% zoom', async () => {
    // Chromium's own zoom does not reach the popup here: tabs.setZoom on an extension tab (its per-origin
    // level) leaves the popup at 100%, and Ctrl+plus sent with xdotool reaches the browser window, which
    // closes the popup. So 200% is CSS zoom on the root, which lays the page out as browser zoom does:
    // half the CSS pixels across, everything drawn twice as large.
    const popup = await chrome.clickToolbarButton();
    await popup.addStyleTag({ content: 'html { zoom: 2 }' });
    await everyState(popup, async (state) => {
      // The popup window follows its content's new size a moment later.
      await popup.waitForFunction(() => innerWidth >= Math.min(document.documentElement.scrollWidth, 800));
      const zoomed = await measureLayout(popup);
      await popup.screenshot({ path: join(RESULTS_DIR, `real-popup-${state}-zoom-200.png`) });
      expect.soft(zoomed.clipped, `${state} at 200%: clipped`).toEqual([]);
      // 400 CSS px drawn twice as large: the popup is at Chrome's 800 px limit and reflows within it.
      expect.soft(zoomed.content.width, `${state} at 200%: width`).toBeLessThanOrEqual(POPUP_LIMIT.width);
    });
  });
});

describe('the paste guard’s host permission, asked through Chromium’s real prompt', () => {
  /** A page with a textarea on another loopback address: a site the manifest grants nothing on. */
  async function pageOn(host: string): Promise<{ url: string; close(): Promise<void> }> {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Chat</title><label for="t">Message</label><textarea id="t"></textarea>');
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return {
      url: `http://${host}:${(server.address() as { port: number }).port}`,
      close: () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }

  /** Names the site in Options → Paste guard and clicks "Guard this site": the browser's dialog opens. */
  async function guard(url: string): Promise<Page> {
    const options = await chrome.openTab('options.html');
    await options.bringToFront();
    await fill(options, '#guard-site', url);
    await options.locator('::-p-text(Guard this site)').click();
    return options;
  }

  /** Whether the extension holds the host permission (asked in its background). */
  const holds = async (pattern: string) =>
    (await chrome.background()).evaluate(
      (origins) =>
        (globalThis as unknown as { chrome: typeof import('webextension-polyfill') }).chrome.permissions.contains({
          origins,
        }),
      [pattern],
    );

  /** A paste of the key into the page's textarea, as the browser fires it: true when nothing stopped it. */
  async function pasteGoesThrough(url: string): Promise<boolean> {
    const page = await chrome.browser.newPage();
    try {
      await page.goto(`${url}/`);
      // The guard starts once the page is idle: give it the time it takes, then paste.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return await page.$eval(
        '#t',
        (el, pasted) => {
          const data = new DataTransfer();
          data.setData('text/plain', pasted);
          return el.dispatchEvent(
            new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
          );
        },
        emulator.apiKey,
      );
    } finally {
      await page.close();
    }
  }

  it('Allow: the guard is on for the site and stops a pasted key there', async () => {
    const chat = await pageOn('127.0.0.4');
    try {
      expect(await holds('http://127.0.0.4/*')).toBe(false);
      expect(await pasteGoesThrough(chat.url)).toBe(true);
      const options = await guard(chat.url);
      await chrome.answerPermissionPrompt('allow');
      await options.waitForSelector(`::-p-text(The paste guard is on for ${chat.url})`);
      await options.$eval('[aria-labelledby="guard-title"]', (el) => el.scrollIntoView({ block: 'center' }));
      await options.screenshot({ path: join(RESULTS_DIR, 'real-paste-guard-permission-allowed.png') });
      expect(await holds('http://127.0.0.4/*')).toBe(true);
      await options.close();
      expect(await pasteGoesThrough(chat.url)).toBe(false);
    } finally {
      await chat.close();
    }
  });

  it('Deny: the options page says so, no permission is held and a pasted key goes through unguarded', async () => {
    const chat = await pageOn('127.0.0.5');
    try {
      const options = await guard(chat.url);
      await chrome.answerPermissionPrompt('deny');
      await options.waitForSelector(`::-p-text(Permission for ${chat.url} was refused)`);
      await options.$eval('[aria-labelledby="guard-title"]', (el) => el.scrollIntoView({ block: 'center' }));
      await options.screenshot({ path: join(RESULTS_DIR, 'real-paste-guard-permission-denied.png') });
      expect(await holds('http://127.0.0.5/*')).toBe(false);
      expect(await text(options, '[aria-label="Guarded sites"]').catch(() => '')).not.toContain(chat.url);
      await options.close();
      expect(await pasteGoesThrough(chat.url)).toBe(true);
    } finally {
      await chat.close();
    }
  });
});
