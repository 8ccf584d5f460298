import { describe, expect, it } from 'vitest';
import {
  failureMessage,
  keyTestExitCode,
  presentKeyTest,
  SignusApiError,
  SignusClient,
  testApiKey,
  type FetchLike,
} from '../src/index.js';

const KEY = 'sk_FAKE_present_0123456789abcdefWXYZ';
const ACCOUNT = '123e4567-e89b-12d3-a456-426614174000';
const PAGE = { payload: { thisPageItems: [{ id: 't1', name: 'NDA' }], totalNumber: 1, lastPageIndex: 0 } };

const answering =
  (body: string, init: ResponseInit = {}): FetchLike =>
  async () =>
    new Response(body, init);

const present = async (fetch: FetchLike) =>
  presentKeyTest(await testApiKey({ secret: KEY, accountId: ACCOUNT, baseUrl: 'http://127.0.0.1:9', fetch }));

describe('presentKeyTest: one way to show a key test', () => {
  it('a valid key: headline, status line, timing, JSON preview and what Copy full JSON copies', async () => {
    const view = await present(answering(JSON.stringify(PAGE), { status: 200, statusText: 'OK' }));
    expect(view).toMatchObject({
      verdict: 'valid',
      tone: 'ok',
      headline: 'Valid',
      statusLine: '200 OK',
      summary: 'Valid (HTTP 200)',
      exitCode: 0,
    });
    expect(view.timing).toMatch(/^\d+ ms$/);
    expect(view.response).toMatchObject({ heading: 'Response (JSON)', isJson: true });
    expect(view.response?.copy).toEqual({ label: 'Copy full JSON', text: JSON.stringify(PAGE, null, 2) });
    expect(view.response?.truncatedNote).toBeUndefined();
    expect(view.curl.posix).toContain('sk_••••••••WXYZ');
  });

  it('cuts the preview at 800 characters and says of how many', async () => {
    const big = { ...PAGE, note: 'n'.repeat(2000) };
    const view = await present(answering(JSON.stringify(big), { status: 200 }));
    const full = JSON.stringify(big, null, 2);
    expect(view.response?.preview).toBe(full.slice(0, 800));
    expect(view.response?.truncatedNote).toBe(`First 800 of ${full.length.toLocaleString('en-US')} characters.`);
    expect(view.response?.copy?.text).toBe(full);
  });

  it('copies a body that is not JSON as it came, redacted, under "Copy full body"', async () => {
    const view = await present(answering(`<html>${KEY}</html>`, { status: 200 }));
    expect(view).toMatchObject({ verdict: 'bad_response', tone: 'no_answer', exitCode: 3 });
    expect(view.response?.heading).toBe('Response (not JSON)');
    expect(view.response?.copy).toEqual({ label: 'Copy full body', text: '<html>sk_••••••••WXYZ</html>' });
  });

  it('says "No answer" when none came, and has no response part', async () => {
    const view = await present(async () => {
      throw new TypeError('fetch failed');
    });
    expect(view).toMatchObject({ statusLine: 'No answer', summary: 'Network error', exitCode: 3 });
    expect(view.response).toBeUndefined();
  });

  it.each([
    ['net::ERR_NAME_NOT_RESOLVED', 'Host not found'],
    ['net::ERR_CONNECTION_REFUSED', 'Connection refused'],
    ['net::ERR_INTERNET_DISCONNECTED', 'Offline'],
    ['net::ERR_CONNECTION_RESET', 'Connection dropped'],
    ['net::ERR_CERT_DATE_INVALID', 'Certificate not accepted'],
    ['net::ERR_UNSAFE_PORT', 'Request blocked'],
  ])('a network error says which (%s: %s)', async (code, headline) => {
    const view = await present(async () => {
      throw Object.assign(new TypeError('Failed to fetch'), { code });
    });
    expect(view).toMatchObject({ verdict: 'network_error', headline, summary: headline, statusLine: 'No answer' });
  });

  it('an answer cut after its headers is "Answer cut off", with its status', async () => {
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => controller.error(new TypeError('network error')),
    });
    const view = await present(async () => new Response(body, { status: 200, statusText: 'OK' }));
    expect(view).toMatchObject({
      headline: 'Answer cut off',
      statusLine: '200 OK',
      summary: 'Answer cut off (HTTP 200)',
    });
  });

  it('a valid key: one line on what it can see, and the headers worth reading', async () => {
    const page = (n: number) => JSON.stringify({ payload: { thisPageItems: [], totalNumber: n, lastPageIndex: 0 } });
    const headers = { 'x-request-id': 'req_42', 'x-ratelimit-remaining': '7', etag: 'x' };
    const view = await present(answering(page(12), { status: 200, headers }));
    expect(view.answer).toBe('12 templates visible to this key');
    expect(view.headers).toEqual([
      { name: 'content-type', value: 'text/plain;charset=UTF-8' },
      { name: 'x-ratelimit-remaining', value: '7' },
      { name: 'x-request-id', value: 'req_42' },
    ]);
    expect((await present(answering(page(1), { status: 200 }))).answer).toBe('1 template visible to this key');
    expect((await present(answering(page(1234), { status: 200 }))).answer).toBe('1,234 templates visible to this key');
    expect((await present(answering('{}', { status: 401 }))).answer).toBeUndefined();
  });

  it('an empty body has a note and no copy button', async () => {
    const view = await present(answering('', { status: 401, statusText: 'Unauthorized' }));
    expect(view).toMatchObject({ statusLine: '401 Unauthorized', summary: 'Unauthorized (HTTP 401)', exitCode: 1 });
    expect(view.response).toMatchObject({ heading: 'Response', emptyNote: 'Empty body.' });
    expect(view.response?.copy).toBeUndefined();
  });

  it('says when to retry', async () => {
    const view = await present(answering('{}', { status: 429, headers: { 'retry-after': '30' } }));
    expect(view.retryAfter).toBe('Retry after 30 s.');
  });

  it('maps verdicts to the CLI exit codes', () => {
    expect(keyTestExitCode('valid')).toBe(0);
    expect(keyTestExitCode('unauthorized')).toBe(1);
    expect(keyTestExitCode('redirect')).toBe(1);
    expect(keyTestExitCode('unexpected_response')).toBe(3);
    expect(keyTestExitCode('timeout')).toBe(3);
  });
});

describe('failures: one message', () => {
  it('SignusApiError says what the key test says', async () => {
    const client = new SignusClient({
      apiKey: KEY,
      accountId: ACCOUNT,
      baseUrl: 'http://127.0.0.1:9',
      fetch: answering('{}', { status: 401 }),
    });
    const error = (await client.listTemplates().catch((e: unknown) => e)) as SignusApiError;
    expect(error).toBeInstanceOf(SignusApiError);
    expect(error.message).toBe(failureMessage('unauthorized', 401, error.reason));
    expect(error.message).toMatch(/^Unauthorized \(HTTP 401\): The key is wrong/);
  });
});
