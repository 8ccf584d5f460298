import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maskSecret } from '@signus/shared';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from './extension-browser.js';
import { emulatorSession, outcomeOf, startTest, text, waitForText, type Attempt } from './popup-driver.js';

/**
 * Every way of not getting an answer, and what was sent and came back, in a real browser: the same cases
 * for Chromium (verdicts.e2e.ts) and Firefox (firefox.e2e.ts). What the popup shows must say which it was.
 */
export interface VerdictSuiteOptions {
  /** The browser, started so that production's host name resolves nowhere (no network at test time). */
  launch(): Promise<ExtensionBrowser>;
  /** What the user pastes back from the clipboard after a Copy button: read as the browser allows a test to. */
  readClipboard(ext: ExtensionBrowser, page: Page): Promise<string>;
}

/** A port on this machine where nothing listens. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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
 * fetch, Firefox's Origin for an extension page's request) do not change what the API answers.
 */
const BROWSER_OWN =
  /^(host|connection|user-agent|accept-encoding|accept-language|sec-.*|pragma|cache-control|origin|priority)$/;

export function describeVerdicts(name: string, options: VerdictSuiteOptions): void {
  describe(`the popup's answers in real ${name}`, () => verdictCases(name, options));
}

function verdictCases(name: string, options: VerdictSuiteOptions): void {
  const session = emulatorSession(options.launch);
  const popup = () => session.popup();

  const test = (page: Page, attempt: Partial<Attempt> = {}) =>
    startTest(page, { key: session.emulator.apiKey, accountId: session.emulator.accountId, ...attempt });

  describe(`verdicts in real ${name}: each failure named`, () => {
    it('a body cut after the headers', async () => {
      session.emulator.injectFault({ kind: 'truncate' }, 1);
      const page = await popup();
      await test(page);
      const shown = await outcomeOf(page);
      expect(shown).toMatchObject({ verdict: 'network_error', cause: 'cut' });
      expect(shown.status).toMatch(/^200 OK\s+Answer cut off\s+\d+ ms$/);
      expect(shown.hint).toMatch(/answered 200, then the connection closed before the body was complete/);
    });

    it('a redirect: its status and where it pointed (origin only), not followed', async () => {
      session.emulator.injectFault({ kind: 'redirect', location: 'https://evil.example/steal?k=1' }, 1);
      const page = await popup();
      await test(page);
      const shown = await outcomeOf(page);
      expect(shown.verdict).toBe('redirect');
      expect(shown.status).toMatch(/^307 Temporary Redirect\s+Redirected\s+\d+ ms$/);
      expect(shown.hint).toMatch(/redirected to https:\/\/evil\.example; the key was not sent there/);
      expect(await text(page, 'main')).not.toContain('steal');
    });

    it('a refused connection', async () => {
      const page = await popup();
      await test(page, { environment: 'custom', customUrl: `http://127.0.0.1:${await closedPort()}` });
      const shown = await outcomeOf(page);
      expect(shown).toMatchObject({ verdict: 'network_error', cause: 'refused' });
      expect(shown.status).toMatch(/^No answer\s+Connection refused/);
      expect(shown.hint).toMatch(/Nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\)/);
    });

    it('an unknown host (DNS)', async () => {
      const page = await popup();
      await test(page, { environment: 'production' });
      const shown = await outcomeOf(page);
      expect(shown).toMatchObject({ verdict: 'network_error', cause: 'dns' });
      expect(shown.status).toMatch(/^No answer\s+Host not found/);
      expect(shown.hint).toMatch(/The host api\.signus\.ai could not be found \(DNS\)/);
    });

    it('being offline', async () => {
      const page = await popup();
      await page.setOfflineMode(true);
      try {
        const before = session.emulator.requestCount();
        await test(page);
        const shown = await outcomeOf(page);
        expect(shown).toMatchObject({ verdict: 'network_error', cause: 'offline' });
        expect(shown.status).toMatch(/^No answer\s+Offline/);
        expect(shown.hint).toMatch(/This computer is offline, so nothing was sent/);
        expect(session.emulator.requestCount()).toBe(before);
      } finally {
        await page.setOfflineMode(false);
      }
    });

    it('a base URL ending in /v1 is taken as the part before it, and said', async () => {
      const page = await popup();
      await test(page, { environment: 'custom', customUrl: `${session.emulator.url}/v1/` });
      await waitForText(page, `Using ${session.emulator.url}: the base URL is the part before /v1`);
      expect((await outcomeOf(page)).verdict).toBe('valid');
    });

    it('a valid key: how many templates it sees, in one line', async () => {
      const page = await popup();
      await test(page);
      expect((await outcomeOf(page)).verdict).toBe('valid');
      expect(await text(page, '.answer')).toBe('12 templates visible to this key');
    });
  });

  describe(`what was sent and what came back, in real ${name}`, () => {
    it('the copied cURL carries every header the test sent; the response headers are shown', async () => {
      const server = await recordingServer();
      try {
        const page = await popup();
        await test(page, { environment: 'custom', customUrl: server.url });
        expect((await outcomeOf(page)).verdict).toBe('valid');
        expect(await text(page, '.answer')).toBe('3 templates visible to this key');
        const headers = await text(page, '[aria-label="Response headers"]');
        for (const expected of ['x-request-id', 'req_e2e_42', 'x-ratelimit-remaining', '99', 'x-ratelimit-limit']) {
          expect(headers).toContain(expected);
        }

        await page.locator('::-p-text(Copy cURL)').click();
        await waitForText(page, 'Copied');
        const curl = await options.readClipboard(session.ext, page);
        const sent = Object.entries(server.seen[0]!).filter(([header]) => !BROWSER_OWN.test(header));
        expect(sent.map(([header]) => header).sort()).toEqual(['accept', 'authorization']);
        for (const [header, value] of sent) {
          expect(curl.toLowerCase()).toContain(`-h '${header}: ${String(value)}'`.toLowerCase());
        }
        expect(curl).toContain(`Authorization: Bearer ${session.emulator.apiKey}`);
      } finally {
        await server.close();
      }
    });

    it('editing the key clears the result: Copy cURL never copies the key tested before', async () => {
      const page = await popup();
      await test(page);
      expect((await outcomeOf(page)).verdict).toBe('valid');
      const other = session.emulator.createKey({ name: 'second e2e key' }).secret;
      await page.locator('#api-key').fill(other);
      expect(await page.$$('::-p-text(Copy cURL)')).toHaveLength(0);
      await page.waitForSelector('::-p-text(The result shows here)');
      await page.keyboard.press('Enter');
      expect((await outcomeOf(page)).verdict).toBe('valid');
      expect(await text(page, '[aria-label="cURL command (key masked)"]')).toContain(maskSecret(other));
      await page.locator('::-p-text(Copy cURL)').click();
      await waitForText(page, 'Copied');
      const curl = await options.readClipboard(session.ext, page);
      expect(curl).toContain(other);
      expect(curl).not.toContain(session.emulator.apiKey);
    });
  });
}
