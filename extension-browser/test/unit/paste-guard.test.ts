import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  FINGERPRINTS_KEY,
  fingerprint,
  fingerprintCandidate,
  keyShapedIn,
  MAX_FINGERPRINTS,
  rememberTestedKey,
  siteOrigin,
  sitePattern,
} from '../../src/lib/paste-guard.js';
import { FAKE_KEY, fakePlatform } from './fake-platform.js';

describe('paste guard rules', () => {
  it('finds a key the core calls key-shaped, also inside other text', () => {
    expect(keyShapedIn(`export SIGNUS_API_KEY=${FAKE_KEY}`)).toBe(FAKE_KEY);
    expect(keyShapedIn('sk_short')).toBeUndefined();
    expect(keyShapedIn('task_queue_processing_worker_pool_x')).toBeUndefined();
  });

  it('keeps tested keys as SHA-256 fingerprints only, newest first, without repeats, at most 20', async () => {
    const platform = fakePlatform();
    await rememberTestedKey(platform, FAKE_KEY);
    await rememberTestedKey(platform, FAKE_KEY);
    const stored = await platform.local.get<string[]>(FINGERPRINTS_KEY);
    expect(stored).toEqual([createHash('sha256').update(FAKE_KEY).digest('hex')]);
    expect(JSON.stringify(stored)).not.toContain(FAKE_KEY);
    for (let i = 0; i < 30; i++) await rememberTestedKey(platform, `other-key-${i}`);
    const all = (await platform.local.get<string[]>(FINGERPRINTS_KEY))!;
    expect(all).toHaveLength(MAX_FINGERPRINTS);
    expect(all[0]).toBe(await fingerprint('other-key-29'));
  });

  it('holds back only one token of a key’s length for the fingerprint check', () => {
    expect(fingerprintCandidate('  abcdefghijklmnopqrstuvwxyz  ')).toBe('abcdefghijklmnopqrstuvwxyz');
    expect(fingerprintCandidate('two words that are long enough')).toBeUndefined();
    expect(fingerprintCandidate('short')).toBeUndefined();
  });

  it('takes a site as a host or a URL, web origins only, and guards every page of its host', () => {
    expect(siteOrigin('github.com')).toBe('https://github.com');
    expect(siteOrigin('https://github.com/org/repo?x=1')).toBe('https://github.com');
    expect(siteOrigin('http://127.0.0.1:8080/page')).toBe('http://127.0.0.1:8080');
    expect(siteOrigin('ftp://example.com')).toBeUndefined();
    expect(siteOrigin('not a site')).toBeUndefined();
    expect(siteOrigin('')).toBeUndefined();
    expect(sitePattern('http://127.0.0.1:8080')).toBe('http://127.0.0.1/*');
  });
});
