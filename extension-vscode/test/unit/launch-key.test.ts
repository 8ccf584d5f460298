import { describe, expect, it } from 'vitest';
import { keyRequest, refusedKeyProblem, withKeyEnvironment } from '../../src/launch/launch-key.js';
import type { KeyRecord } from '../../src/keys/model.js';

const ENV = { SIGNUS_API_KEY: 'sk_test_FAKElaunch0123456789', SIGNUS_ACCOUNT_ID: 'acct', SIGNUS_BASE_URL: 'http://x' };

describe('keyRequest', () => {
  it.each<[unknown, ReturnType<typeof keyRequest>['kind']]>([
    [undefined, 'none'],
    [false, 'none'],
    [true, 'active'],
    [{}, 'active'],
    [{ key: ' Staging ' }, 'named'],
    [{ key: '' }, 'invalid'],
    [{ key: 3 }, 'invalid'],
    ['Staging', 'invalid'],
    [['Staging'], 'invalid'],
  ])('%j → %s', (value, kind) => {
    expect(keyRequest(value).kind).toBe(kind);
  });

  it('trims the name', () => {
    expect(keyRequest({ key: ' Staging ' })).toEqual({ kind: 'named', name: 'Staging' });
  });
});

describe('withKeyEnvironment', () => {
  it('adds to env, keeps the other variables, replaces ours, and drops "signus"', () => {
    const config = { type: 'node', name: 'x', signus: true, env: { A: '1', SIGNUS_API_KEY: '${env:OLD}' } };
    const out = withKeyEnvironment(config, ENV);
    expect(out).toEqual({ type: 'node', name: 'x', env: { A: '1', ...ENV } });
    expect(config.env.SIGNUS_API_KEY, 'the original is not changed').toBe('${env:OLD}');
  });

  it('uses the list form for the C/C++ adapters', () => {
    const out = withKeyEnvironment(
      {
        type: 'cppdbg',
        environment: [
          { name: 'A', value: '1' },
          { name: 'SIGNUS_BASE_URL', value: 'old' },
        ],
      },
      ENV,
    );
    expect(out.environment).toEqual([
      { name: 'A', value: '1' },
      { name: 'SIGNUS_API_KEY', value: ENV.SIGNUS_API_KEY },
      { name: 'SIGNUS_ACCOUNT_ID', value: 'acct' },
      { name: 'SIGNUS_BASE_URL', value: 'http://x' },
    ]);
  });
});

describe('refusedKeyProblem', () => {
  const record = (verdict?: 'valid' | 'unauthorized' | 'forbidden' | 'timeout'): KeyRecord => ({
    id: '1',
    name: 'Staging',
    accountId: 'a',
    baseUrl: 'http://x',
    createdAt: '2026-01-01T00:00:00Z',
    maskedSecret: 'sk_••••••••abcd',
    ...(verdict && {
      lastTest: { verdict, verdictClass: 'rejected', durationMs: 1, testedAt: '2026-12-01T10:00:00Z' },
    }),
  });
  it('refuses a key whose last test was 401 or 403, and only those', () => {
    expect(refusedKeyProblem(record('unauthorized'))).toMatch(/401 Unauthorized, 2026-12-01/);
    expect(refusedKeyProblem(record('forbidden'))).toMatch(/403 Forbidden/);
    expect(refusedKeyProblem(record('timeout'))).toBeUndefined();
    expect(refusedKeyProblem(record('valid'))).toBeUndefined();
    expect(refusedKeyProblem(record())).toBeUndefined();
  });
});
