import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maskSecret } from '@signus/shared';
import { startEmulator, type RunningEmulator } from '@signus/test/emulator';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, openPage, type LoadedExtension } from './chromium.js';

// Every way of not getting an answer, in real Chromium: what the popup shows must say which it was.
let ext: LoadedExtension;
let emulator: RunningEmulator;
const pages: Page[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  // No network at test time: production's host name resolves nowhere, which is the unknown-host case.
  ext = await launchWithExtension({ extraArgs: ['--host-resolver-rules=MAP api.signus.ai ~NOTFOUND'] });
  await ext.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const options = await openPage(ext, 'options.html');
  await options.getByLabel('Emulator URL').fill(emulator.url);
  await options.getByRole('button', { name: 'Save emulator URL' }).click();
  await options.getByText('Saved the local emulator URL.').waitFor();
  await options.close();
});

afterAll(async () => {
  await ext?.close();
  await emulator?.close();
});

afterEach(async () => {
  emulator.clearFaults();
  await ext.context.setOffline(false);
  for (const page of pages.splice(0)) await page.close();
});

async function popup(): Promise<Page> {
  const page = await openPage(ext, 'popup.html');
  pages.push(page);
  await page.getByLabel('API key').waitFor();
  return page;
}

async function test(page: Page, options: { key?: string; environment?: string; customUrl?: string } = {}) {
  await page.getByLabel('Environment').selectOption(options.environment ?? 'emulator');
  if (options.customUrl !== undefined) await page.getByLabel('Base URL').fill(options.customUrl);
  await page.getByLabel('Account ID').fill(emulator.accountId);
  await page.getByLabel('API key').fill(options.key ?? emulator.apiKey);
  await page.getByLabel('API key').press('Enter');
}

async function outcome(page: Page) {
  const shown = page.locator('.outcome[data-verdict]');
  await shown.waitFor({ timeout: 10_000 });
  return {
    verdict: await shown.getAttribute('data-verdict'),
    cause: await shown.getAttribute('data-cause'),
    status: await page.locator('.status').innerText(),
    hint: await page.locator('.outcome .hint').first().innerText(),
  };
}

/** A port on this machine where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('verdicts in real Chromium: each failure named', () => {
  it('a body cut after the headers', async () => {
    emulator.injectFault({ kind: 'truncate' }, 1);
    const page = await popup();
    await test(page);
    const shown = await outcome(page);
    expect(shown).toMatchObject({ verdict: 'network_error', cause: 'cut' });
    expect(shown.status).toMatch(/^200 OK\s+Answer cut off\s+\d+ ms$/);
    expect(shown.hint).toMatch(/answered 200, then the connection closed before the body was complete/);
  });

  it('a redirect: its status and where it pointed (origin only), not followed', async () => {
    emulator.injectFault({ kind: 'redirect', location: 'https://evil.example/steal?k=1' }, 1);
    const page = await popup();
    await test(page);
    const shown = await outcome(page);
    expect(shown.verdict).toBe('redirect');
    expect(shown.status).toMatch(/^307 Temporary Redirect\s+Redirected\s+\d+ ms$/);
    expect(shown.hint).toMatch(/redirected to https:\/\/evil\.example; the key was not sent there/);
    expect(await page.locator('main').innerText()).not.toContain('steal');
  });

  it('a refused connection', async () => {
    const page = await popup();
    await test(page, { environment: 'custom', customUrl: `http://127.0.0.1:${await closedPort()}` });
    const shown = await outcome(page);
    expect(shown).toMatchObject({ verdict: 'network_error', cause: 'refused' });
    expect(shown.status).toMatch(/^No answer\s+Connection refused/);
    expect(shown.hint).toMatch(/Nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\)/);
  });

  it('an unknown host (DNS)', async () => {
    const page = await popup();
    await test(page, { environment: 'production' });
    const shown = await outcome(page);
    expect(shown).toMatchObject({ verdict: 'network_error', cause: 'dns' });
    expect(shown.status).toMatch(/^No answer\s+Host not found/);
    expect(shown.hint).toMatch(/The host api\.signus\.ai could not be found \(DNS\)/);
  });

  it('being offline', async () => {
    const page = await popup();
    await ext.context.setOffline(true);
    const before = emulator.requestCount();
    await test(page);
    const shown = await outcome(page);
    expect(shown).toMatchObject({ verdict: 'network_error', cause: 'offline' });
    expect(shown.status).toMatch(/^No answer\s+Offline/);
    expect(shown.hint).toMatch(/This computer is offline, so nothing was sent/);
    expect(emulator.requestCount()).toBe(before);
  });

  it('a base URL ending in /v1 is taken as the part before it, and said', async () => {
    const page = await popup();
    await test(page, { environment: 'custom', customUrl: `${emulator.url}/v1/` });
    expect(await page.getByText(`Using ${emulator.url}: the base URL is the part before /v1`).isVisible()).toBe(true);
    expect((await outcome(page)).verdict).toBe('valid');
  });

  it('a valid key: how many templates it sees, in one line', async () => {
    const page = await popup();
    await test(page);
    expect((await outcome(page)).verdict).toBe('valid');
    expect(await page.locator('.answer').innerText()).toBe('12 templates visible to this key');
  });
});

/** A server that records every header it was sent and answers like the API, with a request id and rate limits. */
async function recordingServer(): Promise<{ url: string; seen: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-request-id': 'req_e2e_42',
      'x-ratelimit-limit': '100',
      'x-ratelimit-remaining': '99',
    });
    res.end(JSON.stringify({ payload: { thisPageItems: [], totalNumber: 3, lastPageIndex: 0 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Headers the browser adds on its own to every request: curl sends its own Host, User-Agent and
 * Accept-Encoding, and the rest (fetch metadata, client hints, language, the no-cache pair of an uncached
 * fetch) do not change what the API answers.
 */
const BROWSER_OWN = /^(host|connection|user-agent|accept-encoding|accept-language|sec-.*|pragma|cache-control)$/;

describe('what was sent and what came back, in real Chromium', () => {
  it('the copied cURL carries every header the test sent; the response headers are shown', async () => {
    const server = await recordingServer();
    try {
      const page = await popup();
      await test(page, { environment: 'custom', customUrl: server.url });
      expect((await outcome(page)).verdict).toBe('valid');
      expect(await page.locator('.answer').innerText()).toBe('3 templates visible to this key');
      const headers = await page.getByLabel('Response headers').innerText();
      for (const expected of ['x-request-id', 'req_e2e_42', 'x-ratelimit-remaining', '99', 'x-ratelimit-limit']) {
        expect(headers).toContain(expected);
      }

      await page.getByRole('button', { name: 'Copy cURL' }).click();
      await page.getByRole('button', { name: 'Copied' }).waitFor();
      const curl = await page.evaluate(() => navigator.clipboard.readText());
      const sent = Object.entries(server.seen[0]!).filter(([name]) => !BROWSER_OWN.test(name));
      expect(sent.map(([name]) => name).sort()).toEqual(['accept', 'authorization']);
      for (const [name, value] of sent) {
        expect(curl.toLowerCase()).toContain(`-h '${name}: ${String(value)}'`.toLowerCase());
      }
      expect(curl).toContain(`Authorization: Bearer ${emulator.apiKey}`);
    } finally {
      await server.close();
    }
  });

  it('editing the key clears the result: Copy cURL never copies the key tested before', async () => {
    const page = await popup();
    await test(page);
    expect((await outcome(page)).verdict).toBe('valid');
    const other = emulator.createKey({ name: 'second e2e key' }).secret;
    await page.getByLabel('API key').fill(other);
    expect(await page.getByRole('button', { name: 'Copy cURL' }).count()).toBe(0);
    expect(await page.getByText(/The result shows here/).isVisible()).toBe(true);
    await page.getByLabel('API key').press('Enter');
    expect((await outcome(page)).verdict).toBe('valid');
    expect(await page.getByLabel('cURL command (key masked)').innerText()).toContain(maskSecret(other));
    await page.getByRole('button', { name: 'Copy cURL' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    const curl = await page.evaluate(() => navigator.clipboard.readText());
    expect(curl).toContain(other);
    expect(curl).not.toContain(emulator.apiKey);
  });
});
