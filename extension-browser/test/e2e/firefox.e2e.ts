import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { maskSecret } from '@signus/shared';
import { startEmulator, type RunningEmulator } from '@signus/test/emulator';
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_DIR } from './chromium.js';
import { launchFirefox } from './extension-browser.js';
import {
  customUrlAttempt,
  emulatorSession,
  outcomeOf,
  startTest,
  storageDump,
  text,
  valueOf,
  verdictOf,
  waitForText,
  type Attempt,
} from './popup-driver.js';
import { closedPort, describeVerdicts } from './verdict-suite.js';

// The popup's page in real Firefox ESR (WebDriver BiDi): the same verdict cases as Chromium, then the
// flows Firefox runs its own way (storage.session, permissions.request's user-action rule).

/**
 * No network at test time: every host name goes to a DNS-over-HTTPS server where nothing listens, so
 * production's host resolves nowhere (the unknown-host case); IP addresses and localhost need no lookup.
 */
async function noDns(): Promise<Record<string, unknown>> {
  return { 'network.trr.mode': 3, 'network.trr.uri': `https://127.0.0.1:${await closedPort()}/dns-query` };
}

describeVerdicts('Firefox', {
  launch: async () => launchFirefox({ prefs: await noDns() }),
  // An extension page may read back what it wrote after the user's click.
  readClipboard: (_ext, page) => page.evaluate(() => navigator.clipboard.readText()),
});

describe('the popup in real Firefox against the emulator', () => {
  const session = emulatorSession(async () =>
    launchFirefox({
      prefs: {
        ...(await noDns()),
        // Headless Firefox shows its permission prompt where no one can answer it; with this, Firefox answers
        // "Allow" itself, after the same checks (a user action must have asked) as with the prompt.
        'extensions.webextOptionalPermissionPrompts': false,
      },
    }),
  );
  const popup = () => session.popup();
  let emulator: RunningEmulator;
  beforeAll(async () => {
    await mkdir(RESULTS_DIR, { recursive: true });
    emulator = session.emulator;
  });

  const attempt = (extra: Partial<Attempt> = {}): Attempt => ({
    key: emulator.apiKey,
    accountId: emulator.accountId,
    ...extra,
  });
  const shot = (page: Page, name: string) => page.screenshot({ path: join(RESULTS_DIR, name) });

  it('opens with focus in the masked key field and passes a valid key, masked on screen', async () => {
    const page = await popup();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('api-key');
    expect(await page.$eval('#api-key', (el) => (el as HTMLInputElement).type)).toBe('password');
    await shot(page, 'firefox-popup-empty.png');
    await startTest(page, attempt());
    const shown = await outcomeOf(page);
    expect(shown.verdict).toBe('valid');
    expect(shown.status).toMatch(/^200 OK\s+Valid\s+\d+ ms$/);
    expect(await text(page, '[aria-label="cURL command (key masked)"]')).toContain(maskSecret(emulator.apiKey));
    expect(await text(page, 'main')).not.toContain(emulator.apiKey);
    await shot(page, 'firefox-popup-valid.png');
  });

  it('rejects a deleted key (401) and a key on another workspace’s account (403)', async () => {
    const deleted = emulator.createKey({ name: 'Deleted in Firefox e2e' });
    emulator.deleteKey(deleted.id);
    const page = await popup();
    await startTest(page, attempt({ key: deleted.secret }));
    const shown = await outcomeOf(page);
    expect(shown.verdict).toBe('unauthorized');
    expect(shown.status).toMatch(/^401 Unauthorized\s+\d+ ms$/);
    expect(shown.hint).toMatch(/wrong, was deleted/);
    await shot(page, 'firefox-popup-error.png');

    const other = await popup();
    await startTest(other, attempt({ key: emulator.otherApiKey }));
    expect(await verdictOf(other)).toBe('forbidden');
  });

  it('rejects bad input inline without sending anything', async () => {
    const before = emulator.requestCount();
    const page = await popup();
    await startTest(page, attempt({ key: emulator.accountId }));
    await page.waitForSelector('#key-message:not(:empty)');
    expect(await text(page, '#key-message')).toMatch(/looks like an Account ID/);
    expect(emulator.requestCount()).toBe(before);
  });

  it('keeps history masked, and "Again" re-runs an entry with its account and server', async () => {
    const page = await popup();
    await startTest(page, attempt());
    expect(await verdictOf(page)).toBe('valid');

    const later = await popup();
    // The key stays in the field only when remembered: the entry asks for it back, then tests again.
    await later.locator('summary').click();
    await later.waitForSelector('details.history[open]');
    const history = await text(later, '[aria-label="Recent tests"]');
    expect(history).toContain(maskSecret(emulator.apiKey));
    expect(history).not.toContain(emulator.apiKey);
    const again = `[aria-label^="Test ${maskSecret(emulator.apiKey)} again on"]`;
    await later.locator(again).click();
    await waitForText(later, `Paste ${maskSecret(emulator.apiKey)}, the key of that test`);
    expect(await valueOf(later, '#account-id')).toBe(emulator.accountId);
    const before = emulator.requestCount();
    await later.locator('#api-key').fill(emulator.apiKey);
    await later.locator(again).click();
    expect(await verdictOf(later)).toBe('valid');
    expect(emulator.requestCount()).toBe(before + 1);
  });

  it('remembers the key only in storage.session when asked, and forgets it when unticked', async () => {
    const page = await popup();
    await startTest(page, attempt());
    await verdictOf(page);
    let dump = await storageDump(page);
    expect(dump.local).toContain(maskSecret(emulator.apiKey));
    expect(dump.local).not.toContain(emulator.apiKey);
    expect(dump.session).not.toContain(emulator.apiKey);

    const remembering = await popup();
    await remembering.locator('::-p-text(Remember the key until the browser closes)').click();
    await startTest(remembering, attempt());
    await verdictOf(remembering);
    await expect.poll(async () => (await storageDump(remembering)).session).toContain(emulator.apiKey);
    dump = await storageDump(remembering);
    expect(dump.local).not.toContain(emulator.apiKey);

    const again = await popup();
    expect(await valueOf(again, '#api-key')).toBe(emulator.apiKey);
    await again.locator('::-p-text(Remember the key until the browser closes)').click();
    await expect.poll(async () => (await storageDump(again)).session).not.toContain(emulator.apiKey);
  });

  it('a custom base URL outside the manifest: asked for from the click, then tested; the draft is gone', async () => {
    // 127.0.0.2 is this machine too, but the manifest grants only 127.0.0.1 and localhost.
    const elsewhere = await startEmulator({ host: '127.0.0.2' });
    try {
      const page = await popup();
      await startTest(page, customUrlAttempt(elsewhere));
      // Firefox refuses permissions.request outside a user action: a verdict means it was asked in time.
      expect(await verdictOf(page)).toBe('valid');
      expect(elsewhere.requestCount()).toBe(1);
      const granted = await page.evaluate(() =>
        (globalThis as unknown as { browser: typeof import('webextension-polyfill') }).browser.permissions.getAll(),
      );
      expect(granted.origins).toContain('http://127.0.0.2/*');
      const dump = await storageDump(page);
      expect(dump.session).not.toContain(elsewhere.apiKey);
      expect(dump.local).not.toContain(elsewhere.apiKey);
    } finally {
      await elsewhere.close();
    }
  });

  it('an options page that adds an environment the popup then offers', async () => {
    const options = await session.open('options.html');
    await options.locator('#env-name').fill('Emulator (Firefox)');
    await options.locator('#env-url').fill(`${emulator.url.replace('127.0.0.1', 'localhost')}/`);
    await options.locator('::-p-text(Add environment)').click();
    await waitForText(options, 'Saved Emulator (Firefox).');
    await options.setViewport({ width: 720, height: 760 });
    await options.screenshot({ path: join(RESULTS_DIR, 'firefox-options.png'), fullPage: true });

    const page = await popup();
    const saved = await page.$$eval('#environment option', (all) =>
      all.filter((o) => o.textContent?.startsWith('Emulator (Firefox)')).map((o) => (o as HTMLOptionElement).value),
    );
    expect(saved).toHaveLength(1);
    await startTest(page, attempt({ environment: saved[0]! }));
    expect(await verdictOf(page)).toBe('valid');
  });
});
