import { describe, expect, it } from 'vitest';
import {
  describeLastTest,
  describeRetired,
  groupByEnvironment,
  isProduction,
  speakMasks,
  spokenMask,
  summarizeTestAll,
  environmentLabel,
  envLine,
  keptLastTest,
  keyNameProblem,
  pendingOldKeys,
  readRecord,
  timeAgo,
  withOldKey,
  withOldKeyChanged,
  type KeyRecord,
} from '../../src/keys/model.js';

const record = (name: string, id = name): KeyRecord => ({
  id,
  name,
  accountId: '123e4567-e89b-12d3-a456-426614174000',
  baseUrl: 'https://api.signus.ai',
  createdAt: '2026-11-24T10:00:00.000Z',
  maskedSecret: 'sk_••••••••TEST',
});

describe('keyNameProblem', () => {
  const existing = [record('Production', 'a'), record('CI/CD', 'b')];
  it('accepts a new, trimmed name', () => {
    expect(keyNameProblem('  Staging ', existing)).toBeUndefined();
  });
  it('requires a name', () => {
    expect(keyNameProblem('   ', existing)).toMatch(/Enter a name/);
  });
  it('refuses a duplicate whatever its case, naming the existing key', () => {
    expect(keyNameProblem('production', existing)).toBe(
      'A key named "Production" already exists. Key names must be unique.',
    );
  });
  it('lets a key keep its own name when renamed', () => {
    expect(keyNameProblem('production', existing, 'a')).toBeUndefined();
  });
  it('refuses a secret pasted into the name field', () => {
    expect(keyNameProblem('sk_FAKE_abcdefghijklmnopqrstu', existing)).toMatch(/looks like the secret/);
  });
  it.each([
    ['glued to a word', 'acct_sk_FAKE_abcdefghijklmnopqrstu'],
    ['after a label', 'Production sk_FAKE_abcdefghijklmnopqrstu'],
    ['in quotes with a comma', '"sk_FAKE_abcdefghijklmnopqrstu",'],
    ['in a long name', `Production ${'x'.repeat(40)} test-sk_FAKE_abcdefghijklmnopqrstu`],
  ])('refuses a secret anywhere in the name (%s), without quoting it', (_label, name) => {
    const problem = keyNameProblem(name, existing);
    expect(problem).toMatch(/looks like the secret/);
    expect(problem).not.toContain('abcdefghijklmnopqrstu');
  });
  it('accepts names that merely contain sk_', () => {
    expect(keyNameProblem('task_queue_processing_worker', existing)).toBeUndefined();
    expect(keyNameProblem('Desk_2', existing)).toBeUndefined();
  });
  it('limits the length', () => {
    expect(keyNameProblem('x'.repeat(61), existing)).toMatch(/at most 60 characters; this one has 61/);
  });
});

describe('display helpers', () => {
  const now = new Date('2026-11-27T10:00:00.000Z');
  it('says how long ago', () => {
    expect(timeAgo('2026-11-24T10:00:00.000Z', now)).toBe('3 days ago');
    expect(timeAgo('2026-11-27T09:59:50.000Z', now)).toBe('just now');
    expect(timeAgo('2026-11-27T09:00:00.000Z', now)).toBe('1 hour ago');
    expect(timeAgo('not a date', now)).toBe('at an unknown time');
  });
  it('names the environment', () => {
    expect(environmentLabel('https://api.signus.ai')).toBe('production');
    expect(environmentLabel('https://api.signus.ai/')).toBe('production');
    expect(environmentLabel('http://127.0.0.1:4010')).toBe('127.0.0.1:4010');
  });
  it('describes the last test', () => {
    expect(describeLastTest(undefined, now)).toBe('not tested yet');
    expect(
      describeLastTest(
        {
          verdict: 'unauthorized',
          verdictClass: 'rejected',
          status: 401,
          durationMs: 83.6,
          testedAt: '2026-11-27T09:58:00.000Z',
        },
        now,
      ),
    ).toBe('Unauthorized · 401 · 84 ms · 2 minutes ago');
    expect(
      describeLastTest(
        { verdict: 'timeout', verdictClass: 'no_answer', durationMs: 15000, testedAt: now.toISOString() },
        now,
      ),
    ).toBe('Timed out · 15000 ms · just now');
  });
  it('makes a dotenv line', () => {
    expect(envLine('sk_FAKE_abc')).toBe('SIGNUS_API_KEY=sk_FAKE_abc');
  });
});

describe('keptLastTest', () => {
  const result = (verdict: 'valid' | 'cancelled' | 'unauthorized', status?: number) =>
    ({
      verdict,
      verdictClass: verdict === 'valid' ? 'ok' : verdict === 'cancelled' ? 'no_answer' : 'rejected',
      durationMs: 5,
      testedAt: '2026-12-02T10:00:00.000Z',
      ...(status !== undefined && { status }),
    }) as Parameters<typeof keptLastTest>[1];

  it('a cancelled test never replaces a real result', () => {
    const previous = keptLastTest(undefined, result('valid', 200));
    expect(keptLastTest(previous, result('cancelled'))).toBe(previous);
  });

  it('a finished test replaces the previous one, and a cancelled one is kept when there was none', () => {
    const previous = keptLastTest(undefined, result('valid', 200));
    expect(keptLastTest(previous, result('unauthorized', 401))).toMatchObject({ verdict: 'unauthorized', status: 401 });
    expect(keptLastTest(undefined, result('cancelled')).verdict).toBe('cancelled');
  });
});

describe('the old key of a rotation', () => {
  const now = new Date('2026-11-24T12:00:00.000Z');
  const retired = {
    maskedSecret: 'sk_••••••••WXYZ',
    fingerprint: 'a'.repeat(64),
    rotatedAt: '2026-11-24T11:00:00.000Z',
  };

  it('is pending revocation until a check got 401, saying what the last check found', () => {
    expect(describeRetired(retired, now)).toEqual({
      label: 'Old key sk_••••••••WXYZ',
      description: 'pending revocation since 1 hour ago',
    });
    const stillWorks = {
      ...retired,
      lastCheck: {
        verdict: 'valid' as const,
        verdictClass: 'ok' as const,
        status: 200,
        durationMs: 80,
        testedAt: '2026-11-24T11:58:00.000Z',
      },
    };
    expect(describeRetired(stillWorks, now).description).toBe(
      'pending revocation since 1 hour ago · still works (200) 2 minutes ago',
    );
    const noAnswer = {
      ...retired,
      lastCheck: {
        verdict: 'timeout' as const,
        verdictClass: 'no_answer' as const,
        durationMs: 15000,
        testedAt: '2026-11-24T11:58:00.000Z',
      },
    };
    expect(describeRetired(noAnswer, now).description).toBe(
      'pending revocation since 1 hour ago · last check inconclusive (Timed out)',
    );
    expect(describeRetired({ ...stillWorks, revokedAt: '2026-11-24T11:59:30.000Z' }, now).description).toBe(
      'revoked (401) just now',
    );
  });

  it('rotated twice before verifying: both old keys stay pending, each verified and removed on its own', () => {
    const first = { ...retired, maskedSecret: 'sk_••••••••AAAA', fingerprint: 'a'.repeat(64) };
    const second = { ...retired, maskedSecret: 'sk_••••••••BBBB', fingerprint: 'b'.repeat(64) };
    const twice = withOldKey(withOldKey(record('Staging'), first), second);
    expect(pendingOldKeys(twice).map((o) => o.maskedSecret)).toEqual(['sk_••••••••AAAA', 'sk_••••••••BBBB']);
    const firstRevoked = withOldKeyChanged(twice, first.fingerprint, (o) => ({ ...o, revokedAt: now.toISOString() }));
    expect(pendingOldKeys(firstRevoked).map((o) => o.maskedSecret)).toEqual(['sk_••••••••BBBB']);
    expect(firstRevoked.oldKeys?.[0]?.revokedAt).toBe(now.toISOString());
    const dismissed = withOldKeyChanged(firstRevoked, first.fingerprint, () => undefined);
    expect(dismissed.oldKeys?.map((o) => o.maskedSecret)).toEqual(['sk_••••••••BBBB']);
    expect(withOldKeyChanged(dismissed, second.fingerprint, () => undefined)).not.toHaveProperty('oldKeys');
    // The same key rotated out again is listed once, with its latest rotation.
    const again = withOldKey(twice, { ...first, rotatedAt: now.toISOString() });
    expect(again.oldKeys?.map((o) => `${o.maskedSecret} ${o.rotatedAt}`)).toEqual([
      `sk_••••••••BBBB ${retired.rotatedAt}`,
      `sk_••••••••AAAA ${now.toISOString()}`,
    ]);
  });

  it('a record saved with the one old key of earlier versions reads as its first old key', () => {
    const saved = { ...record('Staging'), retired };
    const read = readRecord(saved);
    expect(read.oldKeys).toEqual([retired]);
    expect(read).not.toHaveProperty('retired');
    expect(readRecord({ ...withOldKey(record('Staging'), retired), retired }).oldKeys).toEqual([retired]);
  });

  it('is spoken as "key ending in", never as bullets', () => {
    expect(spokenMask('sk_••••••••WXYZ')).toBe('key ending in WXYZ');
    expect(spokenMask('hidden')).toBe('masked key');
  });

  it('speaks every mask in a text (log lines)', () => {
    expect(speakMasks('Rotated "A": now sk_••••••••WXYZ, was sk_••••••••a_-9.')).toBe(
      'Rotated "A": now key ending in WXYZ, was key ending in a_-9.',
    );
    expect(speakMasks('short ••••••••')).toBe('short masked key');
    expect(speakMasks('no mask · here…')).toBe('no mask · here…');
  });
});

describe('grouping the key list by environment', () => {
  const at = (name: string, baseUrl: string) => ({ ...record(name), baseUrl });
  const keys = [
    at('Local', 'http://127.0.0.1:8787'),
    at('Live', 'https://api.signus.ai/'),
    at('Stage', 'https://staging.example.com'),
  ];

  it('groups when keys use more than one environment, production first', () => {
    const groups = groupByEnvironment(keys, 'auto');
    expect(groups?.map((g) => [g.baseUrl, g.keys.map((k) => k.name)])).toEqual([
      ['https://api.signus.ai', ['Live']],
      ['http://127.0.0.1:8787', ['Local']],
      ['https://staging.example.com', ['Stage']],
    ]);
  });

  it('stays flat with one environment unless told always, and never when told never', () => {
    const one = [at('A', 'https://staging.example.com'), at('B', 'https://staging.example.com/')];
    expect(groupByEnvironment(one, 'auto')).toBeUndefined();
    expect(groupByEnvironment(one, 'always')?.map((g) => g.keys.length)).toEqual([2]);
    expect(groupByEnvironment(keys, 'never')).toBeUndefined();
  });

  it('knows a production key by its base URL, with or without a trailing slash', () => {
    expect(isProduction({ baseUrl: 'https://api.signus.ai/' })).toBe(true);
    expect(isProduction({ baseUrl: 'https://api.signus.ai.example.com' })).toBe(false);
  });
});

describe('the Test All Keys summary', () => {
  it('counts, names the failures with their status, and lists what was not tested', () => {
    expect(
      summarizeTestAll(
        [
          { name: 'A', verdict: 'valid', status: 200 },
          { name: 'B', verdict: 'forbidden', status: 403 },
          { name: 'C', verdict: 'timeout' },
        ],
        ['Live'],
        false,
      ),
    ).toBe('Tested 3 keys: 1 valid, 2 failed ("B": Forbidden (403); "C": Timed out). Not tested: "Live".');
    expect(summarizeTestAll([{ name: 'A', verdict: 'valid', status: 200 }], ['B', 'C'], true)).toBe(
      'Cancelled after 1 key: 1 valid. Not tested: "B", "C".',
    );
  });
});
