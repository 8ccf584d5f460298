import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { keyShapedRuns, maskSecret } from '@signus/shared';
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINGERPRINTS_KEY, PLACEHOLDER } from '../../src/lib/paste-guard.js';
import { RESULTS_DIR } from './chromium.js';
import { launchChromium, launchFirefox, type ExtensionBrowser } from './extension-browser.js';
import { emulatorSession, startTest, storageDump, valueOf, verdictOf, waitForText } from './popup-driver.js';

// The opt-in paste guard on local pages (a plain textarea, a contenteditable editor, an iframe), in real
// Chromium and real Firefox: turned on for the site in the options page, then pasting and typing a key.

/** Local pages: the site the guard is turned on for. */
async function site(): Promise<{ url: string; close(): Promise<void> }> {
  const pages: Record<string, string> = {
    '/textarea': '<label for="t">Comment</label><textarea id="t" rows="4" cols="50"></textarea>',
    '/editor':
      '<div id="e" contenteditable="true" role="textbox" aria-label="Message" style="min-height:60px;border:1px solid"></div>',
    '/frame': '<p>An embedded editor:</p><iframe id="f" src="/textarea" width="500" height="160"></iframe>',
  };
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>Local page</title><body style="font:16px sans-serif;margin:20px">${pages[req.url ?? ''] ?? ''}</body>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        // The browser keeps connections alive: without this, close waits for them.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Pastes the text into the field; true when it went in (the guard did not stop it). Firefox: a real
 * paste (the text copied with Ctrl+C from a field of the extension's options page, where the guard does
 * not run, then Ctrl+V in the field). Chromium's headless keyboard does not run the clipboard's shortcuts,
 * so there the paste event a real paste fires is dispatched with the text, and the answer is whether the
 * guard cancelled it.
 */
async function paste(ext: ExtensionBrowser, where: Page | Frame, selector: string, text: string): Promise<boolean> {
  if (ext.name === 'Chromium') {
    return where.$eval(
      selector,
      (el, pasted) => {
        (el as HTMLElement).focus();
        const data = new DataTransfer();
        data.setData('text/plain', pasted);
        return el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      },
      text,
    );
  }
  const scratch = await ext.open('options.html');
  await scratch.locator('#guard-site').fill(text);
  await scratch.focus('#guard-site');
  await scratch.keyboard.down('Control');
  await scratch.keyboard.press('a');
  await scratch.keyboard.press('c');
  await scratch.keyboard.up('Control');
  await scratch.close();
  const page = 'page' in where && typeof where.page === 'function' ? where.page() : (where as Page);
  await page.bringToFront();
  await where.focus(selector);
  await page.keyboard.down('Control');
  await page.keyboard.press('v');
  await page.keyboard.up('Control');
  await new Promise((resolve) => setTimeout(resolve, 300));
  return where.$eval(
    selector,
    (el, pasted) => ((el as HTMLInputElement).value ?? (el as HTMLElement).innerText).includes(pasted),
    text,
  );
}

/** The guard starts once the page is idle: a paste before that goes in, so it is taken out and pasted again. */
async function pasteWhenGuarded(ext: ExtensionBrowser, where: Page | Frame, selector: string, text: string) {
  const end = Date.now() + 5_000;
  while (await paste(ext, where, selector, text)) {
    if (Date.now() > end) throw new Error('The paste guard did not stop the paste');
    await where.$eval(selector, (el) => {
      if ('value' in el) (el as HTMLInputElement).value = '';
      else (el as HTMLElement).textContent = '';
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const warningText = (where: Page | Frame) =>
  where
    .waitForSelector('signus-paste-guard >>> [role="alertdialog"]')
    .then((el) => el!.evaluate((e) => (e as HTMLElement).innerText));
const choose = (where: Page | Frame, label: string) =>
  where.locator(`signus-paste-guard >>> ::-p-text(${label})`).click();

function describePasteGuard(name: string, launch: () => Promise<ExtensionBrowser>): void {
  describe(`the paste guard in real ${name}`, () => {
    const session = emulatorSession(launch);
    let local: Awaited<ReturnType<typeof site>>;
    const key = () => session.emulator.apiKey;

    beforeAll(async () => {
      local = await site();
    });
    afterAll(async () => {
      await local?.close();
    });

    async function tab(path: string): Promise<Page> {
      const page = await session.ext.browser.newPage();
      await page.goto(`${local.url}${path}`);
      return page;
    }

    it('is off until the site is named in the options page: a key pastes as usual', async () => {
      const page = await tab('/textarea');
      expect(await paste(session.ext, page, '#t', key())).toBe(true);
      expect(await page.$('signus-paste-guard')).toBeNull();
      await page.close();

      const options = await session.open('options.html');
      await options.locator('#guard-site').fill(local.url);
      await options.locator('::-p-text(Guard this site)').click();
      await waitForText(options, `The paste guard is on for ${local.url}`);
      expect(await options.$eval('[aria-label="Guarded sites"]', (el) => (el as HTMLElement).innerText)).toContain(
        local.url,
      );
    });

    it('a key tested in the popup is kept only as its SHA-256 fingerprint', async () => {
      const popup = await session.popup();
      await startTest(popup, { key: key(), accountId: session.emulator.accountId });
      expect(await verdictOf(popup)).toBe('valid');
      const print = createHash('sha256').update(key()).digest('hex');
      await expect.poll(async () => (await storageDump(popup)).local).toContain(print);
      const dump = await storageDump(popup);
      expect(dump.local).not.toContain(key());
      expect(dump.session).not.toContain(key());
    });

    it('fingerprint only: a tested key that is not key-shaped is stopped by its SHA-256 alone', async () => {
      // The popup tests only key-shaped keys (the core's parseApiKeyInput), and the shape check stops those
      // first: a key of another shape (a future or legacy format) can be known by its fingerprint alone. It is
      // put among the tested keys' fingerprints as rememberTestedKey leaves them (SHA-256 hex), not as a key.
      const odd = 'FAKE-signus-legacy-key-0123456789abcdef';
      const other = 'FAKE-signus-legacy-key-fedcba9876543210';
      expect(keyShapedRuns(`${odd} ${other}`)).toEqual([]);
      const print = createHash('sha256').update(odd).digest('hex');
      const probe = await session.open('options.html');
      await probe.evaluate(
        async (name, print) => {
          const scope = globalThis as unknown as Record<'browser' | 'chrome', typeof import('webextension-polyfill')>;
          const api = scope.browser ?? scope.chrome;
          const known = ((await api.storage.local.get(name))[name] as string[] | undefined) ?? [];
          await api.storage.local.set({ [name]: [print, ...known] });
        },
        FINGERPRINTS_KEY,
        print,
      );

      const page = await tab('/textarea');
      await pasteWhenGuarded(session.ext, page, '#t', odd);
      const shown = await warningText(page);
      expect(shown).toContain(maskSecret(odd));
      expect(shown).not.toContain(odd);
      await page.screenshot({ path: join(RESULTS_DIR, `paste-guard-fingerprint-${name.toLowerCase()}.png`) });
      await choose(page, 'Paste a placeholder');
      expect(await valueOf(page, '#t')).toBe(PLACEHOLDER);

      // Text of the same shape that is no tested key waits for its fingerprint too, then goes in unchanged.
      await page.$eval('#t', (el) => ((el as HTMLTextAreaElement).value = ''));
      await paste(session.ext, page, '#t', other);
      await expect.poll(() => valueOf(page, '#t')).toBe(other);
      expect(await page.$('signus-paste-guard')).toBeNull();

      // What the extension keeps: the fingerprint, never the text it stands for.
      const dump = await storageDump(probe);
      expect(dump.local).toContain(print);
      for (const text of [odd, other]) {
        expect(dump.local).not.toContain(text);
        expect(dump.session).not.toContain(text);
      }
      await page.close();
    });

    it('a textarea: a pasted key is stopped, the warning shows it masked; "Paste a placeholder"', async () => {
      const page = await tab('/textarea');
      await pasteWhenGuarded(session.ext, page, '#t', `token: ${key()}`);
      const shown = await warningText(page);
      expect(shown).toContain(maskSecret(key()));
      expect(shown).not.toContain(key());
      await page.screenshot({ path: join(RESULTS_DIR, `paste-guard-${name.toLowerCase()}.png`) });
      await choose(page, 'Paste a placeholder');
      expect(await valueOf(page, '#t')).toBe(PLACEHOLDER);
      await page.close();
    });

    it('a textarea: a typed key is caught as it completes; "Replace with a placeholder"', async () => {
      const page = await tab('/textarea');
      await page.focus('#t');
      await page.keyboard.type(`key ${key()}`);
      expect(await warningText(page)).toContain(`You typed ${maskSecret(key())}`);
      await choose(page, 'Replace with a placeholder');
      expect(await valueOf(page, '#t')).toBe(`key ${PLACEHOLDER}`);
      await page.close();
    });

    it('a contenteditable editor: "Paste anyway (once)" puts the key in', async () => {
      const page = await tab('/editor');
      await pasteWhenGuarded(session.ext, page, '#e', key());
      expect(await warningText(page)).toContain(maskSecret(key()));
      await choose(page, 'Paste anyway (once)');
      expect(await page.$eval('#e', (el) => (el as HTMLElement).innerText.trim())).toBe(key());
      await page.close();
    });

    it('an iframe: stopped inside the frame; "Test this key in the popup instead" hands it to the tester', async () => {
      const page = await tab('/frame');
      const frame = (await (await page.waitForSelector('#f'))!.contentFrame())!;
      await frame.waitForSelector('#t');
      await pasteWhenGuarded(session.ext, frame, '#t', key());
      expect(await warningText(frame)).toContain(maskSecret(key()));
      await choose(frame, 'Test this key in the popup instead');
      // The toolbar popup (Firefox opens it: the click's user action carries over the message) or a window
      // with the tester (headless Chromium has no toolbar to open it on): found among the extension's views.
      const probe = await session.open('options.html');
      const testerKey = () =>
        probe.evaluate(() => {
          const scope = globalThis as unknown as Record<'browser' | 'chrome', typeof import('webextension-polyfill')>;
          const views = (scope.browser ?? scope.chrome).extension.getViews();
          const tester = views.find((view) => view.location.pathname === '/popup.html');
          return tester?.document.querySelector<HTMLInputElement>('#api-key')?.value;
        });
      await expect.poll(testerKey, { timeout: 10_000 }).toBe(key());
      expect(await valueOf(frame, '#t')).toBe('');
      // Handed over in session storage and deleted as the tester read it; never in local storage.
      const dump = await storageDump(probe);
      expect(dump.session).not.toContain(key());
      expect(dump.local).not.toContain(key());
      await page.close();
    });
  });
}

describePasteGuard('Chromium', () => launchChromium());
describePasteGuard('Firefox', () => launchFirefox({ prefs: { 'extensions.webextOptionalPermissionPrompts': false } }));
