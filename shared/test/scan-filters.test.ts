import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createKnownKeySet,
  hasRandomCore,
  isIdentifierShaped,
  isNonKey,
  knownKeyFingerprints,
  scanText,
} from '../src/index.js';
import { fakeKey } from './scan-helpers.js';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomBody(length: number): string {
  let s = '';
  for (const b of randomBytes(length * 2)) {
    if (b >= 248) continue; // 248 = 4 × 62: no modulo bias
    s += BASE62[b % 62];
    if (s.length === length) return s;
  }
  return s + randomBody(length - s.length);
}

/** Where a key can sit: every context a filter looks at, and some it must never look at. */
const CONTEXTS: ((k: string) => string)[] = [
  (k) => `const key = "${k}";`,
  (k) => `${k}(`,
  (k) => `obj->${k}`,
  (k) => `config.${k}`,
  (k) => `ns::${k}`,
  (k) => `#define ${k} 1`,
  (k) => `#define X ${k}(a)`,
  (k) => `int ${k};`,
  (k) => `struct sock *${k};`,
  (k) => `def ${k}(x):`,
  (k) => `fn ${k}() {}`,
  (k) => `let mut ${k} = 1;`,
  (k) => `func ${k}() {}`,
  (k) => `${k} := 1`,
  (k) => `${k} = 1`,
  (k) => `import x as ${k}`,
  (k) => `((${k})other)`,
  (k) => `{"k":"\\u0022${k}\\u0022"}`,
];

describe('names are not keys', () => {
  it.each([
    ['#define sk_X509_EXTENSION_value(sk, idx) x', 'OpenSSL stack macro'],
    ['n = sk_GENERAL_NAME_num(names);', 'OpenSSL call'],
    ['((sk_SRP_gN_cache_compfunc)OPENSSL_sk_set_cmp_func(x))', 'OpenSSL cast'],
    ['return sk->sk_forward_alloc_reserved_bytes;', 'kernel field, 13+ letter word'],
    ['sk_receive_queue_acceleration_counter = 0;', 'snake_case, long words'],
    ['from sklearn.ensemble import RandomForestClassifier as sk_RandomForestClassifier', 'sklearn alias'],
    ['class sk_GradientBoostingRegressorWrapper:', 'CamelCase of 32 letters'],
    ['Set it to sk_YourSecretKeyGoesHere in .env', 'CamelCase placeholder'],
    ['cp sk_2024_11_27_nightly_backup.sql /tmp', 'dated file name'],
    ['sk_20241127_weekly_export.csv', 'dated file name'],
    ['pub fn sk_GENERAL_NAME_value_checked(st: *const c_void)', 'Rust declaration'],
    ['var sk_GENERAL_NAME_lookup_cache map[string]int', 'Go declaration'],
  ])('%s (%s)', async (line) => {
    expect(await scanText(line)).toEqual([]);
  });

  it('tells identifier-shaped bodies from random ones', () => {
    expect(isIdentifierShaped('sk_X509_EXTENSION_value')).toBe(true);
    expect(isIdentifierShaped('sk_RandomForestClassifier')).toBe(true);
    expect(isIdentifierShaped('sk_TEST_Ab3dE9gH1jK2mN4pQ5rS')).toBe(false); // signus:allow (fake)
  });
});

describe('a random base62 body of 32–48 characters is never filtered, whatever surrounds it', () => {
  it('in every context, with and without an env prefix', () => {
    for (let i = 0; i < 1200; i++) {
      const length = 32 + (i % 17);
      const key = `${['sk_', 'sk_live_', 'sk_test_', 'sk_TEST_'][i % 4]}${randomBody(length)}`;
      expect(hasRandomCore(key), key.slice(0, 12)).toBe(true);
      const text = CONTEXTS[i % CONTEXTS.length]!(key);
      expect(isNonKey({ secret: key, text, offset: text.indexOf(key) }), text.replace(key, 'sk_…')).toBe(false);
    }
  });

  it('is found by scanText in every context', async () => {
    for (const context of CONTEXTS) {
      const key = fakeKey(32);
      const findings = await scanText(context(key));
      expect(findings, context('sk_…')).toHaveLength(1);
    }
  });
});

describe('recall around escapes and encodings', () => {
  it.each(['\\u0022', '\\u003c', '\\x27', '%22', '\\n'])('finds a key right after the escape %s', async (escape) => {
    const findings = await scanText(`{"msg":"auth ${escape}${fakeKey()}"}`);
    expect(findings).toHaveLength(1);
  });

  it('does not take a word before sk_ for an escape', async () => {
    expect(await scanText(`xu0022${fakeKey()}`)).toEqual([]);
    expect(await scanText(`task_${fakeKey()}`)).toEqual([]);
  });

  it('finds a known key base64-encoded with its trailing newline (echo $KEY | base64)', async () => {
    const key = fakeKey();
    const knownKeys = createKnownKeySet([{ label: 'Prod', fingerprints: await knownKeyFingerprints(key) }]);
    for (const tail of ['\n', '\r\n', ':account']) {
      const b64 = Buffer.from(`${key}${tail}`).toString('base64');
      const [f, ...rest] = await scanText(`  api-key: ${b64}\n`, { knownKeys });
      expect(rest).toEqual([]);
      expect(f).toMatchObject({ ruleId: 'signus-known-key', encoding: 'base64', knownKeyLabel: 'Prod', column: 12 });
      expect(f!.length).toBe(b64.length);
    }
  });

  it('does not confirm base64 of another key', async () => {
    const knownKeys = createKnownKeySet([{ label: 'Prod', fingerprints: await knownKeyFingerprints(fakeKey()) }]);
    const b64 = Buffer.from(`${fakeKey()}\n`).toString('base64');
    expect(await scanText(`x: ${b64}`, { knownKeys })).toEqual([]);
  });
});
