import { describe, expect, it } from 'vitest';
import {
  createKnownKeySet,
  fingerprintSecret,
  isPlaceholderKey,
  knownKeyFingerprints,
  maskSecret,
  parseIgnoreFile,
  scanText,
  type Finding,
} from '../src/index.js';
import { fakeKey } from './scan-helpers.js';

const noSecretIn = (findings: Finding[], secret: string) =>
  expect(JSON.stringify(findings)).not.toContain(secret.slice(3));

describe('scanText: the key-shaped rule', () => {
  it('finds a key and reports rule, position, mask, fingerprint and severity', async () => {
    const key = fakeKey();
    const text = `line one\nconst k = "${key}";\n`;
    const [f, ...rest] = await scanText(text);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      ruleId: 'signus-api-key',
      severity: 'warning',
      line: 2,
      column: 12,
      endLine: 2,
      endColumn: 12 + key.length,
      offset: text.indexOf(key),
      length: key.length,
      masked: maskSecret(key),
      fingerprint: await fingerprintSecret(key),
      encoding: 'plain',
    });
    noSecretIn([f!], key);
  });

  it.each(['task_', 'disk_', 'mask_', 'risk_', 'ask_', 'desk_', 'x', '9', '-', '_'])(
    'ignores sk_ glued after "%s"',
    async (before) => {
      expect(await scanText(`${before}${fakeKey()}`)).toEqual([]);
    },
  );

  it.each([' ', '"', "'", '=', ':', '`', '(', '/', '\t', ',', 'Bearer ', '%20', '\\n'])(
    'finds a key after "%s"',
    async (before) => {
      const findings = await scanText(`x${before}${fakeKey()}`);
      expect(findings).toHaveLength(1);
    },
  );

  it('finds several keys on one line and in a minified one-line file, with columns in UTF-16 units', async () => {
    const a = fakeKey();
    const b = fakeKey();
    const text = `var é="😀",a="${a}",b={k:"${b}"};`;
    const findings = await scanText(text);
    expect(findings.map((f) => [f.line, f.column])).toEqual([
      [1, text.indexOf(a) + 1],
      [1, text.indexOf(b) + 1],
    ]);
  });

  it('counts lines across CRLF and reports a key on a last line without newline', async () => {
    const key = fakeKey();
    const findings = await scanText(`a\r\nb\r\nKEY=${key}`);
    expect(findings[0]).toMatchObject({ line: 3, column: 5 });
  });

  it('needs at least 20 body characters', async () => {
    expect(await scanText('sk_Ab3dE9gH1jK2mN4pQ5r')).toHaveLength(0); // 19
    expect(await scanText('sk_Ab3dE9gH1jK2mN4pQ5rS')).toHaveLength(1); // 20 signus:allow
  });
});

describe('placeholders and documentation are not findings', () => {
  it.each([
    'sk_...',
    'sk_…',
    'sk_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'sk_XXXXXXXXXXXXXXXXXXXXXXXX',
    'sk_your_key_here',
    'sk_your_signus_api_key_here',
    'sk_<key>',
    'sk_${SIGNUS_API_KEY}',
    'sk_0000000000000000000000000000',
    'sk_aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    'sk_1234567890abcdefghijklmnop',
    'sk_abababababababababababab',
    'sk_test_test_test_test_test',
    'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
    'sk_receive_queue_length_limit',
    'sk_example_Ab3dE9gH1jK2mN4pQ5rS',
    'sk_REPLACE_ME_Ab3dE9gH1jK2mN4pQ5rS',
    'sk_Ab3dE9gH...',
  ])('%s', async (text) => {
    expect(await scanText(`token = "${text}"`)).toEqual([]);
  });

  it('a random body is never a placeholder', () => {
    for (let i = 0; i < 2000; i++) expect(isPlaceholderKey(fakeKey())).toBe(false);
  });
});

describe('known keys', () => {
  async function knownSet(key: string, label = 'Production') {
    return createKnownKeySet([{ label, fingerprints: await knownKeyFingerprints(key) }]);
  }

  it("marks a key-shaped finding as a confirmed leak of the user's own key", async () => {
    const key = fakeKey();
    const [f] = await scanText(`KEY=${key}`, { knownKeys: await knownSet(key) });
    expect(f).toMatchObject({
      ruleId: 'signus-known-key',
      severity: 'error',
      knownKeyLabel: 'Production',
      encoding: 'plain',
    });
    expect(f!.message).toContain('Production');
  });

  it('keeps an unknown key a warning next to a known one', async () => {
    const key = fakeKey();
    const other = fakeKey();
    const findings = await scanText(`${key}\n${other}`, { knownKeys: await knownSet(key) });
    expect(findings.map((f) => f.severity)).toEqual(['error', 'warning']);
  });

  it('finds the base64 form (padded, unpadded and URL-safe), with its own fingerprint', async () => {
    const key = fakeKey(33);
    const b64 = Buffer.from(key).toString('base64');
    for (const form of [b64, b64.replace(/=+$/, ''), Buffer.from(key).toString('base64url')]) {
      const [f, ...rest] = await scanText(`auth: "${form}"`, { knownKeys: await knownSet(key) });
      expect(rest).toEqual([]);
      expect(f).toMatchObject({ ruleId: 'signus-known-key', encoding: 'base64', column: 8, length: form.length });
      expect(f!.fingerprint).toBe(await fingerprintSecret(form));
    }
  });

  it('does not report base64 of an unknown key (not key-shaped)', async () => {
    const b64 = Buffer.from(fakeKey()).toString('base64');
    expect(await scanText(b64, { knownKeys: await knownSet(fakeKey()) })).toEqual([]);
    expect(await scanText(b64)).toEqual([]);
  });

  it('finds URL-encoded and JSON-escaped forms of a key with special characters', async () => {
    const key = 'sk_TEST/Zq+8Lm=Rt"Vx\\Wp9Ka4Nb7Hc';
    const set = await knownSet(key);
    const url = encodeURIComponent(key);
    const json = JSON.stringify(key).slice(1, -1);
    expect(await scanText(`https://x.test/?k=${url}&a=1`, { knownKeys: set })).toMatchObject([
      { encoding: 'url', length: url.length },
    ]);
    expect(await scanText(`{"k": "${json}"}`, { knownKeys: set })).toMatchObject([
      { encoding: 'json', length: json.length },
    ]);
  });

  it('finds a known key glued to other text, where it is not key-shaped', async () => {
    const key = fakeKey();
    expect(await scanText(`prefix${key}`)).toEqual([]);
    expect(await scanText(`prefix${key}`, { knownKeys: await knownSet(key) })).toMatchObject([
      { ruleId: 'signus-known-key' },
    ]);
  });

  it('produces fingerprints of the key and each encoded form, all distinct SHA-256 hex', async () => {
    const fps = await knownKeyFingerprints('sk_TEST/Zq+8Lm=Rt"Vx\\Wp9Ka4Nb7Hc');
    expect(fps.length).toBeGreaterThanOrEqual(5);
    expect(new Set(fps).size).toBe(fps.length);
    for (const fp of fps) expect(fp).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('allowing', () => {
  it('skips a line with signus:allow', async () => {
    const key = fakeKey();
    expect(await scanText(`const demo = "${key}"; // signus:allow`)).toEqual([]);
    expect(await scanText(`# signus:allow\nx = "${key}"`)).toHaveLength(1);
  });

  it('skips the line after signus:allow-next-line, and only that line', async () => {
    const a = fakeKey();
    const b = fakeKey();
    const findings = await scanText(`# signus:allow-next-line\nA=${a}\nB=${b}\n`);
    expect(findings.map((f) => f.line)).toEqual([3]);
  });

  it('a next-line marker does not allow its own line', async () => {
    expect(await scanText(`A=${fakeKey()} # signus:allow-next-line`)).toHaveLength(1);
  });

  it('a .signusignore fingerprint allows that secret anywhere, and only it', async () => {
    const a = fakeKey();
    const b = fakeKey();
    const ignore = parseIgnoreFile(`# reviewed\nsha256:${await fingerprintSecret(a)}\n`);
    const findings = await scanText(`${a}\n${b}`, { ignore });
    expect(findings.map((f) => f.line)).toEqual([2]);
  });

  it('.signusignore path globs skip whole files', async () => {
    const ignore = parseIgnoreFile('test/fixtures/**\n*.snap\n');
    const text = `k=${fakeKey()}`;
    expect(await scanText(text, { path: 'test/fixtures/a/b.json', ignore })).toEqual([]);
    expect(await scanText(text, { path: 'src/__snapshots__/x.snap', ignore })).toEqual([]);
    expect(await scanText(text, { path: 'src/app.ts', ignore })).toHaveLength(1);
  });

  it('.signusignore refuses line numbers with a clear error', () => {
    expect(() => parseIgnoreFile('src/config.ts:12\n')).toThrow(/line number.*fingerprint/);
  });
});
