import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskSecret } from '@signus/shared';
import { startEmulator, type RunningEmulator } from '@signus/test/emulator';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIREFOX, FIREFOX_EXTENSION_DIR, FIREFOX_UUID, GECKO_ID, openExtensionPage } from './extension-browser.js';
import { RESULTS_DIR } from './chromium.js';
import { selectOnScreen, startNotesPage } from './notes-page.js';
import { storageDump, storedHistory, useEmulator } from './popup-driver.js';
import { ICON_BLUE } from './real-chromium.js';
import { startXDisplay, type Box, type Point, type XDisplay } from './x-display.js';

// Firefox's real toolbar popup: Firefox ESR headed on a private Xvfb display, its button clicked with the X
// pointer and typed into with the X keyboard. WebDriver BiDi does not reach the popup itself (it is not a
// browsing context BiDi lists: only tabs are), so the popup's document is read from an extension tab through
// `extension.getViews({ type: 'popup' })`, the extension's own same-origin view of it.

/** Firefox's id for the extension's toolbar button (CustomizableUI's widget id for the browser action). */
const WIDGET = `${GECKO_ID.toLowerCase().replace(/[^a-z0-9_-]/g, '_')}-browser-action`;

let display: XDisplay;
let browser: Browser;
let profile: string;
let emulator: RunningEmulator;
let probe: Page;

beforeAll(async () => {
  // Fails, never skips, without Firefox or its build (and startXDisplay without Xvfb or xdotool).
  for (const [path, hint] of [
    [FIREFOX, 'apt-get install -y firefox-esr, or set FIREFOX_PATH'],
    [join(FIREFOX_EXTENSION_DIR, 'manifest.json'), 'pnpm build in extension-browser'],
  ] as const) {
    if (!existsSync(path)) throw new Error(`No ${path}: the Firefox toolbar-popup test needs it (${hint}).`);
  }
  await mkdir(RESULTS_DIR, { recursive: true });
  emulator = await startEmulator();
  display = await startXDisplay();
  profile = await mkdtemp(join(tmpdir(), 'signus-ext-firefox-toolbar-'));
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: false,
    userDataDir: profile,
    defaultViewport: null,
    env: { ...process.env, DISPLAY: display.name },
    args: ['--remote-allow-system-access', `--width=${display.width - 80}`, `--height=${display.height - 50}`],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
      // On the toolbar, as a user pins it from the extensions menu (else it sits inside that menu).
      'browser.uiCustomization.state': JSON.stringify({
        placements: {
          'nav-bar': ['back-button', 'forward-button', 'urlbar-container', WIDGET, 'unified-extensions-button'],
        },
        seen: [WIDGET],
        dirtyAreaCache: ['nav-bar'],
        currentVersion: 20,
      }),
    },
  });
  await browser.installExtension(FIREFOX_EXTENSION_DIR);
  const base = `moz-extension://${FIREFOX_UUID}`;
  probe = await openExtensionPage(browser, base, 'options.html');
  await useEmulator(probe, emulator.url);
  // The environment is chosen beforehand (a select is not what these tests are about); key and account are typed.
  await probe.evaluate(async () => {
    const api = (globalThis as unknown as { browser: typeof import('webextension-polyfill') }).browser;
    const { settings } = await api.storage.local.get('settings');
    await api.storage.local.set({ settings: { ...(settings as object), selectedEnvironment: 'emulator' } });
  });
  // The browser window has the keyboard, as a window manager gives it to the window in use.
  await display.focusWindow(/Mozilla Firefox$/);
}, 90_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await display?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await emulator?.close();
});

/** Reads the open popup's document, through the extension's own view of it; undefined when none is open. */
const inPopup = <T>(read: string): Promise<T | undefined> =>
  probe.evaluate((code) => {
    const api = (globalThis as unknown as { browser: typeof import('webextension-polyfill') }).browser;
    const popup = api.extension.getViews({ type: 'popup' })[0] as (Window & typeof globalThis) | undefined;
    return popup ? (new Function('document', `return ${code}`)(popup.document) as T) : undefined;
  }, read) as Promise<T | undefined>;

async function until<T>(what: string, probeFn: () => Promise<T | undefined>, timeout = 10_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await probeFn();
    if (value !== undefined && value !== null) return value;
    if (Date.now() > end) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Where the popup's element is on the screen (the popup's own idea of its screen position), and its box. */
async function onScreen(selector: string): Promise<Point & { box: Box }> {
  const at = await inPopup<string>(
    `JSON.stringify((() => { const w = document.defaultView; const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect();` +
      ' const [x, y] = [w.mozInnerScreenX, w.mozInnerScreenY];' +
      ' return { x: Math.round(x + r.left + Math.min(20, r.width / 2)), y: Math.round(y + r.top + r.height / 2),' +
      ' box: { left: Math.round(x), top: Math.round(y), right: Math.round(x + w.innerWidth), bottom: Math.round(y + w.innerHeight) } }; })())',
  );
  if (at === undefined) throw new Error('No popup is open');
  return JSON.parse(at) as Point & { box: Box };
}

/** Firefox's (GTK's) fills of the doorhanger's buttons, read from the framebuffer: the default one, the other. */
const DOORHANGER_ALLOW = [0x35, 0x84, 0xe4] as const;
const DOORHANGER_DENY = [0xe4, 0xe4, 0xe5] as const;

/**
 * Answers Firefox's permission doorhanger with the X pointer, as a user does. It is browser chrome (no
 * WebDriver reaches it), so it is found on screen: below the toolbar, its default button's fill (Allow, the
 * only pixels of that blue there; the extension's icon it also shows is the popup's Test button's blue), and
 * Deny by the grey fill in the same row to its left.
 */
async function answerDoorhanger(answer: 'allow' | 'deny', screenshot?: string): Promise<void> {
  const belowToolbar = { left: 0, top: 90, right: display.width, bottom: display.height };
  const allow = await display.steadyColour('the permission doorhanger’s Allow button', DOORHANGER_ALLOW, belowToolbar);
  if (screenshot) await display.screenshot(screenshot);
  const row = { left: Math.max(0, allow.x - 300), top: allow.y - 8, right: allow.x - 30, bottom: allow.y + 8 };
  const target =
    answer === 'allow'
      ? allow
      : await until('the permission doorhanger’s Deny button', () => display.findColour(DOORHANGER_DENY, row));
  await display.click(target);
  await until('the doorhanger to close', async () =>
    (await display.findColour(DOORHANGER_ALLOW, belowToolbar)) ? undefined : true,
  );
}

/** Clicks the extension's toolbar button with the X pointer; resolves once the popup is ready, focus in its key field. */
async function openFromToolbar(): Promise<void> {
  const button = await until('the extension button in the toolbar', () =>
    display.findColour(ICON_BLUE, { left: 0, top: 0, right: display.width, bottom: 120 }),
  );
  expect(await inPopup<string>('document.title')).toBeUndefined();
  await display.click(button);
  // Asked while Firefox is still opening the popup, the views list misses it for good: let it open first.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  // Ready, and the key field focused (the popup focuses it once its first frame is painted).
  await until('the popup with focus in its key field', () =>
    inPopup<string>(
      'document.querySelector("form:not([aria-busy])") && document.activeElement?.id === "api-key" ? "yes" : undefined',
    ),
  );
}

/** The popup as it is on screen, cut from the framebuffer, into test-results/. */
async function screenshotPopup(name: string): Promise<void> {
  await display.screenshot(join(RESULTS_DIR, name), (await onScreen('main')).box);
}

/** Escape, as a user closes the popup; resolves once it is gone. */
async function closeWithEscape(): Promise<void> {
  await display.keys('Escape');
  await until('the popup to close', async () =>
    (await inPopup<string>('document.title')) === undefined ? true : undefined,
  );
}

describe('the toolbar popup in headed Firefox (Xvfb), opened by clicking the toolbar button', () => {
  it('opens from the toolbar button (an X click) with the form ready and focus in the key field', async () => {
    await openFromToolbar();
    const shown = await inPopup<string>('document.body.innerText');
    expect(shown).toContain('Signus key tester');
    expect(shown).toContain('Account ID');
    // The popup's script was started once the form's first frame was out (popup-boot.js: Firefox reports no
    // paint to an observer in a popup, so the second frame decides), not by the 1 s fallback for a page never shown.
    expect(await inPopup<string>('document.documentElement.dataset.startedBy')).toBe('frame');
    await closeWithEscape();
  });

  it('a key and an account typed with the X keyboard, Enter: the verdict, the key masked; Escape closes', async () => {
    await openFromToolbar();
    const requestsBefore = emulator.requestCount();
    // On this display, the browser's own focus does not follow the popup's into its page when it opens (the
    // window's focused element is none, so keys reach no page); a click in the key field, as a user's, puts it there.
    const key = await onScreen('#api-key');
    await display.click(key);
    // Typed key by key; Tab twice (past the eye toggle) to the account; Enter runs the test.
    await display.type(emulator.apiKey);
    await display.keys('Tab', 'Tab');
    await display.type(emulator.accountId);
    await display.keys('Return');
    const verdict = await until('the verdict', () =>
      inPopup<string>('document.querySelector(".outcome[data-verdict]")?.getAttribute("data-verdict")'),
    );
    expect(verdict).toBe('valid');
    expect(emulator.requestCount()).toBe(requestsBefore + 1);
    // What arrived in the fields is what was typed, nothing lost or doubled.
    expect(await inPopup<string>('document.getElementById("api-key").value')).toBe(emulator.apiKey);
    expect(await inPopup<string>('document.getElementById("account-id").value')).toBe(emulator.accountId);
    const shown = (await inPopup<string>('document.body.innerText'))!;
    expect(shown).toMatch(/200 OK\s+Valid/);
    expect(shown).toContain(maskSecret(emulator.apiKey));
    expect(shown).not.toContain(emulator.apiKey);
    // The key field shows dots, not the key.
    expect(await inPopup<string>('document.getElementById("api-key").type')).toBe('password');
    await screenshotPopup('firefox-toolbar-popup-typed-valid.png');
    const dump = await storageDump(probe);
    expect(dump.local).toContain(maskSecret(emulator.apiKey));
    expect(dump.local).not.toContain(emulator.apiKey);
    expect(dump.session).not.toContain(emulator.apiKey);
    await closeWithEscape();
  });
});

describe('a custom base URL outside the manifest: Firefox’s real permission doorhanger, answered with the X pointer', () => {
  /** Custom… and its URL chosen before (saved settings), the key typed, Enter: Firefox asks from that key press. */
  async function testCustomUrl(server: RunningEmulator): Promise<void> {
    await probe.evaluate(
      async (url, accountId) => {
        const api = (globalThis as unknown as { browser: typeof import('webextension-polyfill') }).browser;
        const { settings } = await api.storage.local.get('settings');
        await api.storage.local.set({
          settings: { ...(settings as object), accountId, selectedEnvironment: 'custom', customBaseUrl: url },
        });
      },
      server.url,
      server.accountId,
    );
    await openFromToolbar();
    await display.click(await onScreen('#api-key'));
    await display.type(server.apiKey);
    await display.keys('Return');
  }

  const holds = (origin: string) =>
    probe.evaluate(
      (origins) =>
        (globalThis as unknown as { browser: typeof import('webextension-polyfill') }).browser.permissions.contains({
          origins,
        }),
      [origin],
    );

  // 127.0.0.2 and 127.0.0.3 are this machine too, but the manifest grants only 127.0.0.1 and localhost.
  // Firefox's doorhanger does not close the popup (Chromium's dialog does, test/e2e/toolbar-popup.e2e.ts): the
  // same popup carries on after the answer, and the draft it parked in case it closed is deleted.
  it('Allow: the popup, still open, carries on and shows the result; the draft is gone', async () => {
    const elsewhere = await startEmulator({ host: '127.0.0.2' });
    try {
      await testCustomUrl(elsewhere);
      await answerDoorhanger('allow', join(RESULTS_DIR, 'firefox-toolbar-doorhanger.png'));
      const verdict = await until('the verdict', () =>
        inPopup<string>('document.querySelector(".outcome[data-verdict]")?.getAttribute("data-verdict")'),
      );
      expect(verdict).toBe('valid');
      expect(elsewhere.requestCount()).toBe(1);
      expect(await holds('http://127.0.0.2/*')).toBe(true);
      const dump = await storageDump(probe);
      expect(dump.session).not.toContain(elsewhere.apiKey);
      expect(dump.local).not.toContain(elsewhere.apiKey);
      await screenshotPopup('firefox-toolbar-permission-allowed.png');
      await closeWithEscape();
    } finally {
      await elsewhere.close();
    }
  });

  it('Deny: the popup says the permission was refused and nothing was sent', async () => {
    const elsewhere = await startEmulator({ host: '127.0.0.3' });
    try {
      const historyBefore = await storedHistory(probe);
      await testCustomUrl(elsewhere);
      await answerDoorhanger('deny');
      const hint = await until('the refusal', () => inPopup<string>('document.querySelector(".hint")?.innerText'));
      expect(hint).toMatch(/Permission to reach 127\.0\.0\.3:\d+ was refused/);
      expect(elsewhere.requestCount()).toBe(0);
      expect(await holds('http://127.0.0.3/*')).toBe(false);
      // No test ran, so none is recorded.
      expect(await storedHistory(probe)).toEqual(historyBefore);
      const dump = await storageDump(probe);
      expect(dump.session).not.toContain(elsewhere.apiKey);
      await screenshotPopup('firefox-toolbar-permission-denied.png');
      await closeWithEscape();
    } finally {
      await elsewhere.close();
    }
  });
});

describe('the page’s context menu in headed Firefox: a real right-click on selected text', () => {
  let site: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    site = await startNotesPage(emulator.apiKey);
    await probe.evaluate(async (accountId) => {
      const api = (globalThis as unknown as { browser: typeof import('webextension-polyfill') }).browser;
      const { settings } = await api.storage.local.get('settings');
      await api.storage.local.set({
        settings: { ...(settings as object), accountId, selectedEnvironment: 'emulator' },
      });
    }, emulator.accountId);
  });

  afterAll(async () => {
    await site?.close();
  });

  it('"Test as Signus API key" opens the toolbar popup with the selection in the key field, handed over once', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(site.url);
      await page.bringToFront();
      const at = await selectOnScreen(page, '#key');
      const tabsBefore = (await browser.pages()).length;
      await display.click(at, 'right');
      // The menu opens beside the pointer; the extension's item carries its icon.
      const item = await until('the "Test as Signus API key" menu item', () =>
        display.findColour(ICON_BLUE, { left: at.x, top: at.y, right: display.width, bottom: display.height }),
      );
      // The menu only: the selected key above it stays out of the picture.
      await display.screenshot(join(RESULTS_DIR, 'firefox-context-menu.png'), {
        left: at.x - 4,
        top: at.y + 14,
        right: Math.min(at.x + 320, display.width),
        bottom: Math.min(item.y + 24, display.height),
      });
      await display.click({ x: item.x + 60, y: item.y });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const value = await until('the popup with the selection in its key field', () =>
        inPopup<string>(
          'document.querySelector("form:not([aria-busy])") && document.getElementById("api-key").value || undefined',
        ),
      );
      expect(value).toBe(emulator.apiKey);
      // The toolbar popup itself (the menu click counts as the user action openPopup needs), not the fallback window.
      expect((await browser.pages()).length).toBe(tabsBefore);
      expect(await inPopup<string>('document.body.innerText')).toMatch(/removed Bearer prefix/);
      // Handed over in session storage and deleted as it was read.
      expect((await storageDump(probe)).session).not.toContain(emulator.apiKey);
      await screenshotPopup('firefox-context-menu-popup.png');
      const requestsBefore = emulator.requestCount();
      // Test, clicked with the X pointer (keys do not reach a popup Firefox opened until it is clicked, as above).
      await display.click(await onScreen('button[type=submit]'));
      const verdict = await until('the verdict', () =>
        inPopup<string>('document.querySelector(".outcome[data-verdict]")?.getAttribute("data-verdict")'),
      );
      expect(verdict).toBe('valid');
      expect(emulator.requestCount()).toBe(requestsBefore + 1);
      await closeWithEscape();
    } finally {
      await page.close();
    }
  });
});
