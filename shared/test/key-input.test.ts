import { describe, expect, it } from 'vitest';
import { parseAccountId, parseApiKeyInput, parseBaseUrl } from '../src/index.js';

const KEY = 'sk_FAKE_test_0123456789abcdefWXYZ';
const UUID = '123e4567-e89b-12d3-a456-426614174000';

describe('parseApiKeyInput', () => {
  it.each([
    [KEY, []],
    [`  ${KEY}\n`, ['surrounding whitespace']],
    [`"${KEY}"`, ['quotes']],
    [`'${KEY}'`, ['quotes']],
    [`Bearer ${KEY}`, ['Bearer prefix']],
    [`Authorization: Bearer ${KEY}`, ['header name', 'Bearer prefix']],
    [`SIGNUS_API_KEY=${KEY}`, ['variable name']],
    [`export SIGNUS_API_KEY="${KEY}"`, ['quotes', 'export', 'variable name']],
    [`"apiKey": "${KEY}",`, ['quotes', 'variable name']],
    [`“${KEY}”`, ['quotes']],
  ])('normalises %j', (raw, stripped) => {
    const parsed = parseApiKeyInput(raw);
    expect(parsed.problem).toBeUndefined();
    expect(parsed.key).toBe(KEY);
    expect(parsed.stripped).toEqual(stripped);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    [UUID, 'looks_like_account_id'],
    ['sk_...', 'placeholder'],
    ['sk_xxxxxxxxxxxxxxxxxxxxxxxx', 'placeholder'],
    ['sk_<your key>', 'placeholder'],
    ['sk_your_key_here', 'placeholder'],
    ['pk_FAKE_test_0123456789abcdef', 'missing_prefix'],
    ['SK_FAKE_test_0123456789abcdef', 'wrong_prefix_case'],
    ['sk_FAKE_test 0123456789abcdef', 'inner_whitespace'],
    ['sk_FAKE_test\n0123456789abcdef', 'inner_whitespace'],
    ['sk_FAKE_test.0123456789abcdef', 'invalid_characters'],
    ['sk_FAKE_short', 'too_short'],
  ])('names the problem with %j', (raw, code) => {
    const parsed = parseApiKeyInput(raw);
    expect(parsed.key).toBeUndefined();
    expect(parsed.problem?.code).toBe(code);
    expect(parsed.problem?.message.length).toBeGreaterThan(10);
  });

  it('never repeats a secret in its messages', () => {
    const secretish = 'sk_FAKE_test_0123456789abcdef.WXYZ';
    for (const raw of [secretish, 'sk_FAKE_shortsecret', `pk_${'z'.repeat(30)}`]) {
      const message = parseApiKeyInput(raw).problem?.message ?? '';
      expect(message).not.toContain(raw.slice(3, 15));
    }
  });
});

describe('parseAccountId', () => {
  it.each([UUID, ` ${UUID} `, `"${UUID}"`, `ACCOUNT_ID=${UUID}`, `{${UUID}}`, UUID.toUpperCase()])(
    'accepts %j',
    (raw) => {
      expect(parseAccountId(raw)).toEqual({ accountId: UUID });
    },
  );

  it.each([
    ['', 'empty'],
    [KEY, 'looks_like_api_key'],
    ['12345', 'not_a_uuid'],
    ['123e4567-e89b-12d3-a456-42661417400', 'not_a_uuid'],
  ])('rejects %j', (raw, code) => {
    const parsed = parseAccountId(raw);
    expect(parsed.accountId).toBeUndefined();
    expect(parsed.problem?.code).toBe(code);
    expect(parsed.problem?.message).not.toContain(KEY);
  });
});

describe('parseBaseUrl', () => {
  it('defaults to production', () => {
    expect(parseBaseUrl(undefined).baseUrl).toBe('https://api.signus.ai');
    expect(parseBaseUrl('  ').baseUrl).toBe('https://api.signus.ai');
  });

  it('drops the trailing slash and keeps a path prefix', () => {
    expect(parseBaseUrl('https://staging.example.com/api/').baseUrl).toBe('https://staging.example.com/api');
  });

  it.each([
    ['https://api.signus.ai/v1', 'https://api.signus.ai'],
    ['https://api.signus.ai/v1/', 'https://api.signus.ai'],
    ['https://gw.example.com/signus/V1', 'https://gw.example.com/signus'],
    ['https://api.signus.ai/v1/accounts/123e4567-e89b-12d3-a456-426614174000/templates', 'https://api.signus.ai'],
  ])('takes the part before /v1 of %j and says so', (raw, baseUrl) => {
    const parsed = parseBaseUrl(raw);
    expect(parsed.baseUrl).toBe(baseUrl);
    expect(parsed.note).toBe(
      `Using ${baseUrl}: the base URL is the part before /v1 (the tester adds /v1/accounts/… itself).`,
    );
  });

  it('leaves a path that only looks like a version alone', () => {
    expect(parseBaseUrl('https://x.example/v1beta')).toEqual({ baseUrl: 'https://x.example/v1beta' });
    expect(parseBaseUrl('https://x.example/api')).toEqual({ baseUrl: 'https://x.example/api' });
  });

  it('warns when a key would travel unencrypted to another machine', () => {
    expect(parseBaseUrl('http://127.0.0.1:8080').warning).toBeUndefined();
    expect(parseBaseUrl('http://localhost:8080').warning).toBeUndefined();
    expect(parseBaseUrl('http://api.example.com').warning).toMatch(/unencrypted/);
  });

  it.each([
    ['not a url', 'invalid'],
    ['ftp://example.com', 'unsupported_protocol'],
    ['https://user:pw@example.com', 'has_credentials'],
    ['https://example.com/?a=1', 'has_query'],
  ])('rejects %j', (raw, code) => {
    expect(parseBaseUrl(raw).problem?.code).toBe(code);
  });
});
