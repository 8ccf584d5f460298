import { describe, expect, it } from 'vitest';
import {
  BaselineFileError,
  CANDIDATE_LINE_ERE,
  createKnownKeySet,
  knownKeyFingerprints,
  createBaseline,
  isInBaseline,
  maskedSnippet,
  parseBaseline,
  parseKnownKeysFile,
  RULES,
  scanText,
  serializeBaseline,
  serializeKnownKeysFile,
} from '../src/index.js';
import { anyOf, byteTable, charsOf, jsClass, noneOf, posixBracket, union } from '../src/scan/charset.js';
import { fakeKey } from './scan-helpers.js';

describe('rules are data, each anchored on fixed text', () => {
  it.each(RULES.map((r) => [r.id, r] as const))('%s: sticky, starts with its keyword', (_id, rule) => {
    expect(rule.pattern.sticky).toBe(true);
    expect(rule.pattern.source.startsWith(rule.keyword)).toBe(true);
    expect(rule.keyword).toMatch(/^[A-Za-z0-9_]+$/);
  });
});

describe('the known-keys file', () => {
  const fp = 'a'.repeat(64);
  it('round-trips', () => {
    const set = parseKnownKeysFile(serializeKnownKeysFile([{ label: 'Prod', fingerprints: [fp] }]));
    expect(set.labels.get(fp)).toBe('Prod');
  });
  it.each([
    ['not json', /not valid JSON/],
    ['[]', /JSON object/],
    ['{"version":2,"keys":[]}', /version 2/],
    ['{"version":1}', /"keys" array/],
    ['{"version":1,"keys":[{"fingerprints":[]}]}', /"label"/],
    ['{"version":1,"keys":[{"label":"x","fingerprints":[]}]}', /non-empty/],
  ])('a bad file gets a clear error: %s', (text, message) => {
    expect(() => parseKnownKeysFile(text)).toThrow(message);
  });
  it('refuses a key where a fingerprint belongs, without echoing it', () => {
    const key = fakeKey();
    let message = '';
    try {
      parseKnownKeysFile(JSON.stringify({ version: 1, keys: [{ label: 'x', fingerprints: [key] }] }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/never keys/);
    expect(message).not.toContain(key);
    expect(() => serializeKnownKeysFile([{ label: 'x', fingerprints: [key] }])).toThrow(/64 lower-case hex/);
  });
});

describe('baselines', () => {
  it('match by path and fingerprint, not line', async () => {
    const key = fakeKey();
    const [f] = await scanText(`x=${key}`);
    const baseline = parseBaseline(serializeBaseline(createBaseline([{ ...f!, path: 'a.env' }])));
    expect(isInBaseline(baseline, 'a.env', f!.fingerprint)).toBe(true);
    expect(isInBaseline(baseline, 'b.env', f!.fingerprint)).toBe(false);
    expect(JSON.stringify(baseline)).not.toContain(key.slice(3));
  });
  it('a bad baseline gets a clear error', () => {
    expect(() => parseBaseline('{}')).toThrow(BaselineFileError);
    expect(() => parseBaseline('{"version":1,"findings":[{"path":"a"}]}')).toThrow(/fingerprint/);
  });
});

describe('masked snippets', () => {
  it('mask every finding on the line and keep the rest', async () => {
    const a = fakeKey();
    const b = fakeKey();
    const text = `first\nconst a = "${a}", b = "${b}";\nlast`;
    const findings = await scanText(text);
    const snippet = maskedSnippet(text, findings[1]!, findings);
    expect(snippet).toBe(`const a = "${findings[0]!.masked}", b = "${findings[1]!.masked}";`);
  });
  it('cut a long minified line to a window around the finding', async () => {
    const key = fakeKey();
    const text = `${'a=1;'.repeat(500)}k="${key}";${'b=2;'.repeat(500)}`;
    const [f] = await scanText(text);
    const snippet = maskedSnippet(text, f!);
    expect(snippet.length).toBeLessThanOrEqual(162);
    expect(snippet).toContain(f!.masked);
    expect(snippet).not.toContain(key.slice(3));
  });
});

/** A POSIX ERE as git reads it, in JS syntax (only the classes the generator writes). */
const fromPosix = (ere: string) =>
  new RegExp(
    ere
      .replace(/\[:space:\]/g, '\\s')
      .replace(/\[:alnum:\]/g, 'A-Za-z0-9')
      .replace(/\[:cntrl:\]/g, '\\x00-\\x1f\\x7f')
      // Inside a POSIX bracket a backslash is literal, and - comes last.
      .replace(/\\(?![sx])/g, '\\\\'),
  );

describe('CANDIDATE_LINE_ERE, the hook fast path, generated from the rules', () => {
  const candidate = fromPosix(CANDIDATE_LINE_ERE);

  it('is built from each keyword and its rules, with a UTF-16 form of each', () => {
    expect(CANDIDATE_LINE_ERE).toBe(
      'sk_[^[:space:]]{20}|s[[:cntrl:]]k[[:cntrl:]]_[^[:space:]]{40}|' +
        'c2tf[[:alnum:]+/_-]{27}|c[[:cntrl:]]2[[:cntrl:]]t[[:cntrl:]]f[[:alnum:][:cntrl:]+/_-]{54}',
    );
    for (const rule of RULES) expect(CANDIDATE_LINE_ERE).toContain(`${rule.keyword}[`);
  });

  it("matches each rule's shortest match, and UTF-16 text of it, both byte orders", () => {
    for (const rule of RULES) {
      const shortest = rule.keyword + 'A'.repeat(rule.minTokens);
      rule.pattern.lastIndex = 0;
      expect(rule.pattern.test(shortest), rule.id).toBe(true);
      expect(candidate.test(shortest), rule.id).toBe(true);
      for (const enc of ['utf16le', 'utf16be'] as const) {
        const bytes = Buffer.from(shortest, 'utf16le');
        if (enc === 'utf16be') bytes.swap16();
        expect(candidate.test(bytes.toString('latin1')), `${rule.id} ${enc}`).toBe(true);
      }
      expect(candidate.test(rule.keyword + 'A'.repeat(rule.minTokens - 1)), rule.id).toBe(false);
    }
  });

  it('matches every line on which any rule reports, in every form', async () => {
    const special = 'sk_TEST/Zq+8Lm=Rt"Vx\\Wp9Ka4Nb7Hc';
    const keys = [fakeKey(), fakeKey(20), special];
    const knownKeys = createKnownKeySet(
      await Promise.all(keys.map(async (k, i) => ({ label: `k${i}`, fingerprints: await knownKeyFingerprints(k) }))),
    );
    // Plain forms only for keys in the body alphabet; a key with other characters is found encoded.
    const plain = (k: string) =>
      /^sk_[A-Za-z0-9_-]+$/.test(k) ? [`a=${k}`, `glued${k}`, `Bearer%20${k}`, `"\\n${k}"`] : [];
    const lines = keys.flatMap((k) => [
      ...plain(k),
      `?k=${encodeURIComponent(k)}`,
      `{"k":"${JSON.stringify(k).slice(1, -1)}"}`,
      `b64 ${Buffer.from(k).toString('base64')}`,
      `b64 ${Buffer.from(k).toString('base64').replace(/=+$/, '')}`,
      `b64url ${Buffer.from(k).toString('base64url')}`,
    ]);
    for (const line of lines) {
      const findings = await scanText(line, { knownKeys });
      expect(findings.length, line).toBeGreaterThan(0);
      expect(candidate.test(line), line).toBe(true);
    }
  });

  it('does not match ordinary code, so most commits never start node', () => {
    for (const line of ['const task_id = 1;', 'mask_all_fields(x)', 'import { x } from "./sk_util";', 'sk_buff *skb']) {
      expect(candidate.test(line), line).toBe(false);
    }
  });
});

describe('character sets, written once and rendered for each matcher', () => {
  it('renders one set as a JS class, a POSIX bracket and a byte table that agree', () => {
    const sets = [
      anyOf('A-Za-z0-9_\\-'),
      anyOf('A-Za-z0-9+/'),
      anyOf('%.~^-'),
      noneOf('"\\\\', true),
      noneOf('', true),
    ];
    for (const set of sets) {
      const js = new RegExp(`^${jsClass(set)}$`);
      const posix = fromPosix(posixBracket(set));
      const table = byteTable(set);
      for (let b = 0; b < 128; b++) {
        const c = String.fromCharCode(b);
        expect(posix.test(c), `${posixBracket(set)} ${b}`).toBe(js.test(c));
        expect(table[b] === 1, `${jsClass(set)} ${b}`).toBe(js.test(c));
      }
    }
  });

  it('unites sets as the rules on one keyword need', () => {
    expect(union(anyOf('a-c'), anyOf('b-d')).chars).toBe('abcd');
    expect(union(noneOf('"\\\\', true), anyOf('\\\\'))).toEqual(noneOf('"', true));
    expect(union(noneOf('ab', true), noneOf('bc', false))).toEqual(noneOf('b', false));
  });

  it('refuses what it cannot render the same everywhere', () => {
    expect(() => charsOf('é')).toThrow(/ASCII/);
  });
});
