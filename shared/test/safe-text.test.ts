import { describe, expect, it } from 'vitest';
import {
  containsKeyShaped,
  createKnownKeySet,
  displayName,
  fingerprintSecret,
  keyLabelProblem,
  keyShapedRuns,
  MASK_BULLETS,
  maskedSnippet,
  MAX_TIMER_MS,
  parseBaseline,
  parseBaseUrl,
  parseIgnoreFile,
  parseKnownKeysFile,
  parseTimeoutSeconds,
  quoteText,
  redact,
  scanText,
  serializeKnownKeysFile,
  withoutBom,
} from '../src/index.js';
import { fakeKey } from './scan-helpers.js';

const BOM = '\uFEFF';
/** No 8-character run of the key body may survive: the mask keeps only the last 4. */
const expectNoneOf = (text: string, ...keys: string[]) => {
  for (const key of keys) expect(text).not.toContain(key.slice(3, 11));
};

describe('key-shaped runs and redact', () => {
  it.each([
    ['glued with an underscore', (k: string) => `acct_${k}`],
    ['glued with a hyphen', (k: string) => `test-${k}`],
    ['glued to letters', (k: string) => `prefix${k}.suffix`],
    ['in an option', (k: string) => `--baseline=${k}`],
    ['in quotes with a comma', (k: string) => `"${k}",`],
    ['in a path', (k: string) => `/tmp/${k}/known-keys.json`],
    ['twice', (k: string) => `${k} and again x${k}`],
  ])('masks a key %s', (_label, wrap) => {
    const key = fakeKey();
    const text = wrap(key);
    expect(containsKeyShaped(text)).toBe(true);
    const out = redact(text);
    expectNoneOf(out, key);
    expect(out).toContain(`sk_${MASK_BULLETS}${key.slice(-4)}`);
    expect(redact(out)).toBe(out);
  });

  it('leaves snake_case identifiers that merely contain sk_ alone', () => {
    for (const text of ['task_queue_processing_worker_pool', 'disk_usage_reporting_interval_ms', 'Desk_2']) {
      expect(keyShapedRuns(text)).toEqual([]);
      expect(redact(text)).toBe(text);
    }
  });

  it('still masks a glued run when any part of it is not a short lower-case word', () => {
    const key = fakeKey();
    expectNoneOf(redact(`task_queue_${key}`), key);
    expectNoneOf(redact(`task_abcdefghijklmnopqrstuvwxyz`), 'sk_abcdefghijklmnopqrstuvwxyz');
  });
});

describe('quoteText and displayName', () => {
  it('quotes with JSON escapes, masking keys and escaping controls, C1, separators and bidi overrides', () => {
    const key = fakeKey();
    const out = quoteText(`a\nb\r\t\u001b]52;c;x\u0007\u009b\u2028\u202e"\\ ${key}`);
    expect(out).toBe(
      `"a\\nb\\r\\t\\u001b]52;c;x\\u0007\\u009b\\u2028\\u202e\\"\\\\ sk_${MASK_BULLETS}${key.slice(-4)}"`,
    );
  });

  it('shows a plain file name as it is and quotes one that could break a report line', () => {
    expect(displayName('src/app.ts')).toBe('src/app.ts');
    expect(displayName('src/a b é.ts')).toBe('src/a b é.ts');
    expect(displayName('a.ts:1:1  error\nb.ts')).toBe('"a.ts:1:1  error\\nb.ts"');
    expect(displayName('"quoted".ts')).toBe('"\\"quoted\\".ts"');
    const key = fakeKey();
    expectNoneOf(displayName(`dir/${key}.env`), key);
  });
});

describe('keyLabelProblem', () => {
  it('refuses a label with key-shaped text anywhere in it', () => {
    const key = fakeKey();
    for (const label of [key, `Prod ${key}`, `acct_${key}`, ` sk_short`]) {
      const problem = keyLabelProblem(label);
      expect(problem).toMatch(/looks like the secret/);
      expectNoneOf(problem ?? '', key);
    }
  });

  it('accepts ordinary labels', () => {
    for (const label of ['Production', 'CI/CD', 'task_queue_processing_worker', 'desk_sk']) {
      expect(keyLabelProblem(label)).toBeUndefined();
    }
  });
});

describe('labels and lines from files are redacted', () => {
  it('redacts labels in the known-keys set, the file written and the finding message', async () => {
    const key = fakeKey();
    const leaked = fakeKey();
    const fp = await fingerprintSecret(key);
    const file = serializeKnownKeysFile([{ label: `Prod ${leaked}`, fingerprints: [fp] }]);
    expectNoneOf(file, leaked);
    // A file written by an older version, or by hand, with the key in the label.
    const raw = JSON.stringify({ version: 1, keys: [{ label: `Prod ${leaked}`, fingerprints: [fp] }] });
    const [finding] = await scanText(`x = "${key}"`, { knownKeys: parseKnownKeysFile(raw) });
    expect(finding?.knownKeyLabel).toContain(`sk_${MASK_BULLETS}`);
    expectNoneOf(JSON.stringify(finding), leaked, key);
    expectNoneOf([...createKnownKeySet([{ label: leaked, fingerprints: [fp] }]).labels.values()].join(), leaked);
  });

  it('quotes a known-keys label masked in a parse error', () => {
    const leaked = fakeKey();
    const raw = JSON.stringify({ version: 1, keys: [{ label: `x${leaked}`, fingerprints: [] }] });
    expect(() => parseKnownKeysFile(raw)).toThrow(/needs a non-empty "fingerprints" array/);
    try {
      parseKnownKeysFile(raw);
    } catch (error) {
      expectNoneOf((error as Error).message, leaked);
    }
  });

  it('quotes a .signusignore line masked and escaped', () => {
    const leaked = fakeKey();
    let message = '';
    try {
      parseIgnoreFile(`${leaked}\u001b[2J.ts:12\n`);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/:1: "sk_•+\w{4}\\u001b\[2J\.ts:12" looks like a line number/);
    expectNoneOf(message, leaked);
  });

  it('masks a base URL that holds a key, and says so', () => {
    const leaked = fakeKey();
    for (const raw of [`https://api.signus.ai/${leaked}`, leaked, `not a url ${leaked}`]) {
      const parsed = parseBaseUrl(raw);
      expect(parsed.baseUrl).toBeUndefined();
      expectNoneOf(parsed.problem?.message ?? '', leaked);
    }
    expect(parseBaseUrl(`https://x/${leaked}`).problem?.message).toMatch(/holds an API key/);
  });
});

describe('a UTF-8 byte-order mark is accepted', () => {
  it('in a baseline, a known-keys file and a .signusignore file', async () => {
    const fp = await fingerprintSecret(fakeKey());
    expect(withoutBom(`${BOM}x`)).toBe('x');
    expect(withoutBom('x\uFEFF')).toBe('x\uFEFF');
    expect(parseBaseline(`${BOM}{"version":1,"tool":"signus","findings":[]}`).findings).toEqual([]);
    const set = parseKnownKeysFile(`${BOM}${serializeKnownKeysFile([{ label: 'Prod', fingerprints: [fp] }])}`);
    expect(set.labels.get(fp)).toBe('Prod');
    const ignore = parseIgnoreFile(`${BOM}secrets/**\n`);
    expect(ignore.isPathIgnored('secrets/a.env')).toBe(true);
  });
});

describe('parseTimeoutSeconds', () => {
  it('accepts plain decimal seconds up to what a timer holds', () => {
    expect(parseTimeoutSeconds('15')).toEqual({ ms: 15000 });
    expect(parseTimeoutSeconds('2.5')).toEqual({ ms: 2500 });
    expect(parseTimeoutSeconds('.5')).toEqual({ ms: 500 });
    expect(parseTimeoutSeconds(String(MAX_TIMER_MS / 1000))).toEqual({ ms: MAX_TIMER_MS });
  });

  it.each(['', 'soon', '-1', '0', '0.0001', 'NaN', 'Infinity', '1e3', '0x10', '1,5', '5s'])('refuses %j', (raw) => {
    expect(parseTimeoutSeconds(raw).problem).toMatch(/must be (a number of seconds above 0|at least 0\.001)/);
  });

  it('refuses more than a timer can hold, saying the limit', () => {
    expect(parseTimeoutSeconds('2147484').problem).toMatch(/at most 2147483\.647 seconds/);
    expect(parseTimeoutSeconds('99999999999999999999').problem).toMatch(/at most/);
  });
});

describe('scan snippets', () => {
  it('mask every key-shaped run on the line, also the glued ones that are not findings', async () => {
    const key = fakeKey();
    const glued = [fakeKey(), fakeKey(), fakeKey()];
    const line = `k = "${key}"; a = "acct_${glued[0]}"; b = "test-${glued[1]}"; c = x${glued[2]}`;
    const text = `first\n${line}\nlast\n`;
    const findings = await scanText(text);
    expect(findings).toHaveLength(1);
    const snippet = maskedSnippet(text, findings[0]!, findings);
    expect(snippet).toContain(`acct_sk_${MASK_BULLETS}`);
    expect(snippet).toContain(`test-sk_${MASK_BULLETS}`);
    expectNoneOf(snippet, key, ...glued);
  });
});
