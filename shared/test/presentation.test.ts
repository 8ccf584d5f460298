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
