import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { exactCurl, maskSecret, type KeyTestRequest } from '@signus/shared';
import { startEmulator, type RunningEmulator } from '@signus/test/emulator';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, openPage, RESULTS_DIR, storageDump, type LoadedExtension } from './chromium.js';

let ext: LoadedExtension;
let emulator: RunningEmulator;
const pages: Page[] = [];
const TIMEOUT_SECONDS = 2;

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  emulator = await startEmulator();
  ext = await launchWithExtension();
  await ext.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // Point "Local emulator" at this run's emulator and shorten the timeout, through the options page as a user would.
  const options = await openPage(ext, 'options.html');
  await options.getByLabel('Emulator URL').fill(emulator.url);
  await options.getByRole('button', { name: 'Save emulator URL' }).click();
  await options.getByText('Saved the local emulator URL.').waitFor();
  await options.getByLabel('Timeout (seconds)').fill(String(TIMEOUT_SECONDS));
  await options.getByRole('button', { name: 'Save timeout' }).click();
  await options.getByText(`Tests now give up after ${TIMEOUT_SECONDS} s.`).waitFor();
  await options.getByLabel('Name').fill('Emulator (e2e)');
  // The same emulator by another name: the options page refuses an environment that repeats the emulator URL.
  await options.getByLabel('Base URL').fill(`${emulator.url.replace('127.0.0.1', 'localhost')}/`);
  await options.getByRole('button', { name: 'Add environment' }).click();
  await options.getByText('Saved Emulator (e2e).').waitFor();
  await options.setViewportSize({ width: 720, height: 760 });
  await options.screenshot({ path: join(RESULTS_DIR, 'options.png'), fullPage: true });
  await options.close();
});

afterAll(async () => {
  await ext?.close();
  await emulator?.close();
});

afterEach(async () => {
  emulator.clearFaults();
  for (const page of pages.splice(0)) await page.close();
});

async function popup(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await openPage(ext, 'popup.html');
  await page.emulateMedia({ colorScheme });
  pages.push(page);
  await page.getByLabel('API key').waitFor();
  return page;
}

interface Attempt {
  key: string;
  accountId?: string;
  environment?: string;
  customUrl?: string;
}

/** Fills the form as a person would and presses Enter. */
async function startTest(page: Page, attempt: Attempt): Promise<void> {
  await page.getByLabel('Environment').selectOption(attempt.environment ?? 'emulator');
  if (attempt.customUrl !== undefined) await page.getByLabel('Base URL').fill(attempt.customUrl);
  await page.getByLabel('Account ID').fill(attempt.accountId ?? emulator.accountId);
  await page.getByLabel('API key').fill(attempt.key);
  await page.getByLabel('API key').press('Enter');
}

async function verdictOf(page: Page, timeout = 10_000): Promise<string> {
  const outcome = page.locator('.outcome[data-verdict]');
  await outcome.waitFor({ timeout });
  return (await outcome.getAttribute('data-verdict'))!;
}

const shot = (page: Page, name: string) => page.locator('main').screenshot({ path: join(RESULTS_DIR, name) });
const statusLine = (page: Page) => page.locator('.status').innerText();
const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

describe('popup in real Chromium against the emulator', () => {
  it('paints its form before any script runs: popup.html holds it, empty and focused, with no inline script', async () => {
    const page = await ext.context.newPage();
    pages.push(page);
    // Scripts off: what the browser can paint from the page and its stylesheet alone.
    const cdp = await ext.context.newCDPSession(page);
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
    await page.goto(`chrome-extension://${ext.id}/popup.html`);
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('api-key');
    for (const label of ['API key', 'Account ID']) expect(await page.getByLabel(label).inputValue()).toBe('');
    expect(await page.getByRole('button', { name: 'Test' }).isVisible()).toBe(true);
    expect(await page.locator('script:not([src])').count()).toBe(0);
    await shot(page, 'popup-prerendered.png');
  });

  it('opens with focus in the masked key field', async () => {
    const page = await popup();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('api-key');
    expect(await page.getByLabel('API key').getAttribute('type')).toBe('password');
    await shot(page, 'popup-empty.png');
    const dark = await popup('dark');
    await shot(dark, 'popup-empty-dark.png');
  });

  it('passes a valid key; the copy buttons put the exact cURL and the full JSON on the clipboard', async () => {
    const page = await popup();
    await startTest(page, { key: emulator.apiKey });
    expect(await verdictOf(page)).toBe('valid');
    expect(await statusLine(page)).toMatch(/^200 OK\s+Valid\s+\d+ ms$/);
    const curlShown = await page.getByLabel('cURL command (key masked)').innerText();
    expect(curlShown).toContain(maskSecret(emulator.apiKey));
    expect(await page.locator('main').innerText()).not.toContain(emulator.apiKey);
    await shot(page, 'popup-valid.png');

    await page.getByRole('button', { name: 'Copy cURL' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    const request: KeyTestRequest = {
      method: 'GET',
      url: `${emulator.url}/v1/accounts/${emulator.accountId}/templates?pageIndex=0&pageSize=5`,
      baseUrl: emulator.url,
      accountId: emulator.accountId,
      maskedSecret: maskSecret(emulator.apiKey),
    };
    expect(await clipboard(page)).toBe(exactCurl(request, emulator.apiKey));

    await page.getByRole('button', { name: 'Copy full JSON' }).click();
    const json = JSON.parse(await clipboard(page)) as { payload: { totalNumber: number; thisPageItems: unknown[] } };
    expect(json.payload.totalNumber).toBe(12);
    expect(json.payload.thisPageItems).toHaveLength(5);

    const dark = await popup('dark');
    await startTest(dark, { key: emulator.apiKey });
    await verdictOf(dark);
    await shot(dark, 'popup-valid-dark.png');
  });

  it('leaves no key in chrome.storage unless asked, and then only in session storage', async () => {
    const page = await popup();
    await startTest(page, { key: emulator.apiKey });
    await verdictOf(page);
    await page.getByText(/Recent tests/).waitFor();
    let dump = await storageDump(page);
    expect(dump.local).toContain(maskSecret(emulator.apiKey));
    expect(dump.local).not.toContain(emulator.apiKey);
    expect(dump.session).not.toContain(emulator.apiKey);

    const remembering = await popup();
    await remembering.getByRole('checkbox', { name: /Remember the key/ }).check();
    await startTest(remembering, { key: emulator.apiKey });
    await verdictOf(remembering);
    await expect.poll(async () => (await storageDump(remembering)).session).toContain(emulator.apiKey);
    dump = await storageDump(remembering);
    expect(dump.local).not.toContain(emulator.apiKey);

    // Reopened, the popup fills in the remembered key; unticking forgets it.
    const again = await popup();
    expect(await again.getByLabel('API key').inputValue()).toBe(emulator.apiKey);
    await again.getByRole('checkbox', { name: /Remember the key/ }).uncheck();
    await expect.poll(async () => (await storageDump(again)).session).not.toContain(emulator.apiKey);
  });

  it('reports a deleted key as 401 Unauthorized', async () => {
    const key = emulator.createKey({ name: 'Deleted in e2e' });
    emulator.deleteKey(key.id);
    const page = await popup();
    await startTest(page, { key: key.secret });
    expect(await verdictOf(page)).toBe('unauthorized');
    expect(await statusLine(page)).toMatch(/^401 Unauthorized\s+\d+ ms$/);
    expect(await page.locator('.hint').innerText()).toMatch(/wrong, was deleted/);
    await shot(page, 'popup-error.png');
    const dark = await popup('dark');
    await startTest(dark, { key: key.secret });
    await verdictOf(dark);
    await shot(dark, 'popup-error-dark.png');
  });

  it('reports a key used on another workspace’s account as 403, and an unknown account as 404', async () => {
    const page = await popup();
    await startTest(page, { key: emulator.otherApiKey });
    expect(await verdictOf(page)).toBe('forbidden');
    expect(await statusLine(page)).toMatch(/^403 Forbidden/);

    const unknown = await popup();
    const saved = await unknown.getByRole('option', { name: /^Emulator \(e2e\)/ }).getAttribute('value');
    await startTest(unknown, {
      key: emulator.apiKey,
      accountId: '00000000-0000-4000-8000-00000000beef',
      environment: saved!,
    });
    expect(await verdictOf(unknown)).toBe('not_found');
  });

  it('shows a spinner and a cancel while a slow server answers, then its time', async () => {
    emulator.injectFault({ kind: 'latency', ms: 1200 }, 1);
    const page = await popup();
    await startTest(page, { key: emulator.apiKey });
    await page.getByRole('button', { name: 'Cancel' }).waitFor();
    expect(await page.locator('.spinner').isVisible()).toBe(true);
    expect(await verdictOf(page)).toBe('valid');
    expect(Number(await page.locator('.outcome').getAttribute('data-duration-ms'))).toBeGreaterThanOrEqual(1200);
  });

  it('cancels a test', async () => {
    emulator.injectFault({ kind: 'latency', ms: 1800 }, 1);
    const page = await popup();
    await startTest(page, { key: emulator.apiKey });
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await verdictOf(page)).toBe('cancelled');
  });

  it('times out after the timeout set in the options', async () => {
    emulator.injectFault({ kind: 'latency', ms: (TIMEOUT_SECONDS + 3) * 1000 }, 1);
    const page = await popup();
    await startTest(page, { key: emulator.apiKey });
    expect(await verdictOf(page)).toBe('timeout');
    expect(await page.locator('.hint').innerText()).toMatch(/No complete answer from 127\.0\.0\.1:\d+ in time/);
  });

  it('reports a 500 as a server error that says nothing about the key', async () => {
    emulator.injectFault({ kind: 'status', status: 500 }, 1);
    const page = await popup();
    await startTest(page, { key: emulator.apiKey });
    expect(await verdictOf(page)).toBe('server_error');
    expect(await statusLine(page)).toMatch(/^500 Internal Server Error\s+Server error/);
  });

  it('reports a body that is not JSON', async () => {
    emulator.injectFault({ kind: 'non_json' }, 1);
    const page = await popup();
    await startTest(page, { key: emulator.apiKey });
    expect(await verdictOf(page)).toBe('bad_response');
    expect(await page.getByText('Response (not JSON)').isVisible()).toBe(true);
    expect(await page.locator('pre.body').innerText()).toContain('This is a web page, not the API.');
  });

  it('names a port the browser refuses to reach', async () => {
    // 9 (discard) is on the browser's list of unsafe ports: it is never sent, and the popup says so.
    const page = await popup();
    await startTest(page, { key: emulator.apiKey, environment: 'custom', customUrl: 'http://127.0.0.1:9' });
    expect(await verdictOf(page)).toBe('network_error');
    expect(await page.locator('.hint').innerText()).toMatch(/request to 127\.0\.0\.1:9 was blocked before it was sent/);
  });

  it('cleans up a pasted header line (Ctrl+V) and says what it removed', async () => {
    const page = await popup();
    await page.evaluate((text) => navigator.clipboard.writeText(text), `Authorization: Bearer ${emulator.apiKey}\n`);
    await page.getByLabel('API key').press('Control+V');
    expect(await page.getByLabel('API key').inputValue()).toBe(emulator.apiKey);
    expect(await page.getByText(/removed .*header name, Bearer prefix/).isVisible()).toBe(true);
  });

  it('rejects bad input inline without sending anything', async () => {
    const before = emulator.requestCount();
    const page = await popup();
    await startTest(page, { key: emulator.accountId });
    expect(await page.locator('#key-message').innerText()).toMatch(/looks like an Account ID/);
    expect(emulator.requestCount()).toBe(before);
  });
});

describe('host permissions in headless Chromium', () => {
  it('asks for a host outside the manifest and sends nothing while the permission is not granted', async () => {
    // 127.0.0.2 is this machine too, but the manifest only grants 127.0.0.1 and localhost.
    const elsewhere = await startEmulator({ host: '127.0.0.2' });
    try {
      const page = await popup();
      await startTest(page, {
        key: elsewhere.apiKey,
        accountId: elsewhere.accountId,
        environment: 'custom',
        customUrl: elsewhere.url,
      });
      // Headless Chromium shows its prompt where nobody can answer it: the popup waits, and says for what.
      await page.getByText(`Waiting for permission to reach ${new URL(elsewhere.url).host}…`).waitFor();
      await page.waitForTimeout(500);
      expect(elsewhere.requestCount()).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });
});
