import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import { CHROMIUM, CHROMIUM_ARGS, EXTENSION_DIR, requireChromiumAndBuild } from './chromium-launch.mjs';
import { openExtensionPage, PAGE_READY, unpackedExtensionId, type ExtensionPage } from './extension-browser.js';
import { selectOnScreen } from './notes-page.js';
import { startXDisplay, type Box, type XDisplay } from './x-display.js';

/** The toolbar icon's fill (scripts/icon.svg): how the tests find the extension's button on screen. */
export const ICON_BLUE = [0x3b, 0x5b, 0xdb] as const;
/** The fills of the buttons of Chromium's permission dialog: Allow (tonal), Deny (filled; with the focus ring, as it opens). */
const DIALOG_ALLOW = [0xd3, 0xe3, 0xfd] as const;
const DIALOG_DENY = [0x0b, 0x57, 0xd0] as const;
const DIALOG_DENY_FOCUSED = [0x0d, 0x50, 0xbb] as const;

export interface RealChromium {
  browser: Browser;
  display: XDisplay;
  id: string;
  /** A tab on an ordinary web page, the one the toolbar button and context menu are used from. */
  tab: Page;
  background(): Promise<WebWorker>;
  /** Clicks the extension's pinned toolbar button, as a user does; resolves with the popup that opens. */
  clickToolbarButton(): Promise<Page>;
  /** The popup the browser opens by itself (after a context-menu click or a granted permission). */
  waitForPopup(timeout?: number): Promise<Page>;
  /** Answers Chromium's extension permission dialog with the X pointer, clicking the button found by its fill. */
  answerPermissionPrompt(answer: 'allow' | 'deny'): Promise<void>;
  /** Selects the element's text in the tab, right-clicks it, and clicks the extension's menu item. */
  testSelectionFromContextMenu(selector: string): Promise<void>;
  openTab(path: ExtensionPage): Promise<Page>;
  close(): Promise<void>;
}

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeout = 10_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Debian's Chromium, headed on a private Xvfb display, with the built extension loaded unpacked and pinned
 * to the toolbar. Fails loudly when Chromium, Xvfb, xdotool or the build is missing.
 */
export async function launchRealChromium(): Promise<RealChromium> {
  requireChromiumAndBuild();
  const display = await startXDisplay();
  const profile = await mkdtemp(join(tmpdir(), 'signus-ext-real-'));
  const id = unpackedExtensionId(EXTENSION_DIR);
  // Pinned, as a user pins it from the puzzle-piece menu: otherwise the button hides in that menu.
  await mkdir(join(profile, 'Default'));
  await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify({ extensions: { pinned_extensions: [id] } }));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: false,
      pipe: true,
      userDataDir: profile,
      defaultViewport: null,
      env: { ...process.env, DISPLAY: display.name },
      args: [...CHROMIUM_ARGS, '--window-position=0,0', `--window-size=${display.width - 80},${display.height - 20}`],
    });
  } catch (error) {
    await display.close();
    throw error;
  }
  const workerTarget = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${id}/`),
    { timeout: 15_000 },
  );
  const [tab] = await browser.pages();
  await browser
    .defaultBrowserContext()
    .overridePermissions(`chrome-extension://${id}`, [
      'clipboard-read',
      'clipboard-write',
      'clipboard-sanitized-write',
    ]);

  const popupTarget = (timeout: number) =>
    browser.waitForTarget((t) => t.type() === 'page' && t.url() === `chrome-extension://${id}/popup.html`, {
      timeout,
    });
  const waitForPopup = async (timeout = 5_000) => {
    const page = (await (await popupTarget(timeout)).asPage())!;
    await page.waitForSelector(`${PAGE_READY} #api-key`);
    return page;
  };
  // The toolbar row: above the page, below the tab strip.
  const toolbar: Box = { left: 0, top: 40, right: display.width, bottom: 90 };

  return {
    browser,
    display,
    id,
    tab: tab!,
    background: async () => (await workerTarget.worker())!,
    async clickToolbarButton() {
      const button = await waitUntil('the extension button in the toolbar', () =>
        display.findColour(ICON_BLUE, toolbar),
      );
      const opening = waitForPopup();
      await display.click(button);
      return opening;
    },
    waitForPopup,
    async answerPermissionPrompt(answer) {
      // Found by its Allow button's fill below the toolbar (its icon is no anchor: the options page's buttons
      // have the icon's blue), and Deny by its fill in the same row, to the left.
      const belowToolbar = { left: 0, top: toolbar.bottom, right: display.width, bottom: display.height };
      // The pointer out of the way first (it may rest where the last dialog's button was): a hovered button has
      // another fill. Still over the browser window, which keeps the keyboard focus.
      await display.move({ x: 20, y: display.height - 60 });
      const allow = await display.steadyColour('the permission dialog’s Allow button', DIALOG_ALLOW, belowToolbar);
      // Clicked, not typed: a key sent to the dialog can arrive late, after it has closed, in the popup that the
      // background reopens on Allow (a Return there ran the test a second time).
      const row = { left: Math.max(0, allow.x - 300), top: allow.y - 8, right: allow.x - 30, bottom: allow.y + 8 };
      const target =
        answer === 'allow'
          ? allow
          : await waitUntil(
              'the dialog’s Deny button',
              async () => (await display.findColour(DIALOG_DENY_FOCUSED, row)) ?? display.findColour(DIALOG_DENY, row),
            );
      await display.click(target);
      await waitUntil('the permission dialog to close', async () =>
        (await display.findColour(DIALOG_ALLOW, belowToolbar)) ? undefined : true,
      );
    },
    async testSelectionFromContextMenu(selector) {
      const at = await selectOnScreen(tab!, selector);
      await tab!.bringToFront();
      await display.click(at, 'right');
      // The menu item carries the extension's icon; the menu opens beside the pointer.
      const item = await waitUntil('the "Test as Signus API key" menu item', () =>
        display.findColour(ICON_BLUE, { left: at.x, top: at.y, right: display.width, bottom: display.height }),
      );
      await display.click({ x: item.x + 60, y: item.y });
    },
    openTab: (path) => openExtensionPage(browser, `chrome-extension://${id}`, path),
    async close() {
      await browser.close().catch(() => undefined);
      await display.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
