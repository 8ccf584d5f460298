import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignusApiError, SignusClient, testApiKey, type KeyTestResult } from '../src/index.js';
import { ATTACKS } from '../../test/hostile/attacks.js';
import { findKeyLeak } from '../../test/hostile/leak-check.js';
import { startHostileServer, type RunningHostileServer } from '../../test/hostile/server.js';

const KEY = 'sk_FAKE_hostile_0123456789abcdefWXYZ';
const ACCOUNT = '123e4567-e89b-12d3-a456-426614174000';

let server: RunningHostileServer;
beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(async () => {
  await server.close();
});

/** Every string of a value, with where it was found. */
function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
}

function expectNoLeak(value: unknown, where: string): void {
  for (const [path, text] of strings(value)) {
    expect(findKeyLeak(text, KEY), `${where}${path}`).toBeUndefined();
  }
}

describe('a hostile server cannot make the core hand out the key', { timeout: 60_000 }, () => {
  it.each(ATTACKS.map((a) => [a.name, a] as const))('testApiKey: %s', async (_name, attack) => {
    server.answer(attack.answer);
    const result: KeyTestResult = await testApiKey({ secret: KEY, accountId: ACCOUNT, baseUrl: server.url });
    expect(server.requests.at(-1)?.secret).toBe(KEY);
    expectNoLeak(result, 'result');
    expect(findKeyLeak(JSON.stringify(result), KEY)).toBeUndefined();
  });

  it.each(ATTACKS.map((a) => [a.name, a] as const))('SignusClient: %s', async (_name, attack) => {
    server.answer(attack.answer);
    const client = new SignusClient({ apiKey: KEY, accountId: ACCOUNT, baseUrl: server.url });
    const outcome = await client.listTemplates().catch((error: unknown) => error);
    if (outcome instanceof SignusApiError) {
      for (const text of [outcome.message, outcome.reason, outcome.body, String(outcome), outcome.stack ?? '']) {
        expect(findKeyLeak(text, KEY)).toBeUndefined();
      }
    } else {
      expectNoLeak(outcome, 'payload');
    }
  });

  it('calls a 2xx that is not the templates envelope an unexpected response', async () => {
    server.answer(() => ({ status: 200, body: '{"payload":{"items":[]}}' }));
    const result = await testApiKey({ secret: KEY, accountId: ACCOUNT, baseUrl: server.url });
    expect(result).toMatchObject({ verdict: 'unexpected_response', verdictClass: 'no_answer', isJson: true });
    expect(result.hint).toMatch(/not the list of templates/);
  });

  it('names only the origin of a redirect, and nothing of a Location that does not parse', async () => {
    server.answer(() => ({ status: 302, headers: [['Location', 'https://elsewhere.example/path?q=1']] }));
    const parsed = await testApiKey({ secret: KEY, accountId: ACCOUNT, baseUrl: server.url });
    expect(parsed.hint).toContain('redirected to https://elsewhere.example;');
    expect(parsed.hint).not.toContain('/path');
    server.answer(() => ({ status: 302, headers: [['Location', 'http://[bad/whatever']] }));
    const unparsable = await testApiKey({ secret: KEY, accountId: ACCOUNT, baseUrl: server.url });
    expect(unparsable.hint).toMatch(/not a valid URL/);
    expect(unparsable.hint).not.toContain('whatever');
  });
});
