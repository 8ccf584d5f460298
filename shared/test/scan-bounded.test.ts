// The scanner's work per candidate is bounded on any input. Counted, not timed: the meter counts
// characters matched by the rules and SHA-256 computations, and the counts must grow linearly.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createKnownKeySet,
  knownKeyFingerprints,
  MAX_CANDIDATE_LENGTH,
  MAX_FINDINGS_PER_FILE,
  maskedSnippet,
  scanTextCounted,
  sha256Hex,
  type KnownKeySet,
  type WorkMeter,
} from '../src/index.js';
import { fakeKey } from './scan-helpers.js';

const repeat = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const keysOnOneLine = (size: number) => {
  let out = '';
  while (out.length < size) out += `${fakeKey()},`;
  return out;
};

/** The pathological inputs of issue 9, plus short runs of `sk_` (each run a distinct glued candidate). */
const INPUTS: [string, (size: number) => string][] = [
  ['sk_ repeated', (n) => repeat('sk_', n)],
  ['c2tf repeated', (n) => repeat('c2tf', n)],
  ['%41sk_ repeated', (n) => repeat('%41sk_', n)],
  ['\\nsk_ repeated', (n) => repeat('\\nsk_', n)],
  ['keys on one line', keysOnOneLine],
  ['short runs of sk_', (n) => repeat(`${'sk_'.repeat(80)} `, n)],
];

let known: KnownKeySet;
const knownKeys = async () =>
  (known ??= createKnownKeySet([{ label: 'Mine', fingerprints: await knownKeyFingerprints(fakeKey()) }]));

function measure(text: string, keys: KnownKeySet | undefined): WorkMeter & { omitted: number } {
  const meter: WorkMeter = { scannedChars: 0, hashes: 0, verdicts: 0 };
  const { omitted } = scanTextCounted(text, { knownKeys: keys, meter });
  return { ...meter, omitted };
}

describe('bounded work per candidate', () => {
  it.each(INPUTS)('%s: work grows linearly with the input, with and without known keys', async (_name, make) => {
    for (const keys of [undefined, await knownKeys()]) {
      const small = measure(make(3_000), keys);
      const large = measure(make(30_000), keys);
      // Ten times the input, about ten times the work (quadratic work would be a hundred times).
      expect(large.scannedChars).toBeLessThanOrEqual(12 * Math.max(small.scannedChars, 1000));
      expect(large.hashes).toBeLessThanOrEqual(12 * Math.max(small.hashes, MAX_CANDIDATE_LENGTH));
      // And each character is looked at a bounded number of times.
      expect(large.scannedChars / 30_000).toBeLessThan(MAX_CANDIDATE_LENGTH);
    }
  });

  it('a run of repeated keywords costs a bounded number of hashes, whatever its length', async () => {
    const keys = await knownKeys();
    for (const unit of ['sk_', 'c2tf', '\\nsk_']) {
      for (const size of [3_000, 100_000]) {
        // Only hits within MAX_CANDIDATE_LENGTH of the run's end make candidates short enough to be a key.
        expect(measure(repeat(unit, size), keys).hashes).toBeLessThanOrEqual(2 * MAX_CANDIDATE_LENGTH);
      }
    }
  });

  it('hashes each distinct candidate once', async () => {
    const key = fakeKey();
    const text = `${key}\n`.repeat(5000);
    expect(measure(text, await knownKeys()).hashes).toBe(1);
    // Without known keys, only listed findings (and .signusignore) need a fingerprint.
    expect(measure(text, undefined).hashes).toBe(1);
  });

  it('tests each distinct body once: placeholder and name tests do not run again for a repeat', async () => {
    const key = fakeKey();
    for (const keys of [undefined, await knownKeys()]) {
      // The same key, and the same names and placeholders, thousands of times: one verdict each.
      const text = [key, 'sk_your_key_here_0000000000', 'sk_SRP_gN_cache_set_cmp_func'].map((s) => `x = ${s};\n`);
      expect(measure(text.join('').repeat(3000), keys).verdicts).toBe(3);
      // Distinct keys: one verdict per key, never more.
      const line = keysOnOneLine(30_000);
      expect(measure(line, keys).verdicts).toBe(line.split(',').length - 1);
    }
  });

  it('a remembered verdict still judges each place by its own context', () => {
    // A body that is mostly words: a call there is a name, the same text in a string a finding.
    const name = 'sk_SRP_gN_cache_set_cmp_func';
    const text = `${name}(ctx);\nconst k = "${name}";\n${name}(ctx);\nv = '${name}'\n`;
    const meter: WorkMeter = { scannedChars: 0, hashes: 0, verdicts: 0 };
    const { findings } = scanTextCounted(text, { meter });
    expect(findings.map((f) => f.line)).toEqual([2, 4]);
    expect(meter.verdicts).toBe(1);
  });

  it('a run longer than any key is no candidate', () => {
    const long = `sk_${'A1b2C3d4'.repeat(40)}`;
    expect(scanTextCounted(`x ${long} y`).findings).toEqual([]);
    const justBelow = `sk_${'A1b2C3d4'.repeat(31)}`;
    expect(justBelow.length).toBeLessThanOrEqual(MAX_CANDIDATE_LENGTH);
    expect(scanTextCounted(`x ${justBelow} y`).findings).toHaveLength(1);
  });
});

describe('bounded memory per file', () => {
  it('lists the first MAX_FINDINGS_PER_FILE findings and counts the rest', () => {
    const text = keysOnOneLine(200_000);
    const total = text.split(',').length - 1;
    const { findings, omitted } = scanTextCounted(text);
    expect(findings).toHaveLength(MAX_FINDINGS_PER_FILE);
    expect(findings.length + omitted).toBe(total);
  });

  it('cuts a snippet to a window before masking: bounded length, no key or part of one in view', () => {
    const keys: string[] = [];
    for (let i = 0; i < 2000; i++) keys.push(fakeKey());
    const text = keys.join(',');
    const { findings } = scanTextCounted(text);
    for (const f of [findings[0]!, findings[100]!, findings[findings.length - 1]!]) {
      const snippet = maskedSnippet(text, f, findings);
      expect(snippet.length).toBeLessThanOrEqual(162);
      expect(snippet).toContain(f.masked);
      for (const key of keys) expect(snippet).not.toContain(key.slice(8, 20));
    }
  });

  it('never shows part of a key that is not a finding at the cut', () => {
    // Only the finding is passed in: the cut through the other key must still not show a piece of it.
    const other = fakeKey();
    const key = fakeKey();
    const text = `${other}${' '.repeat(220)}"${key}"`;
    const { findings } = scanTextCounted(text);
    const f = findings.find((x) => x.offset === text.indexOf(key))!;
    expect(maskedSnippet(text, f, [f])).not.toMatch(new RegExp(other.slice(-12, -4)));
  });
});

describe('sha256Hex', () => {
  it('agrees with node:crypto on every length around block boundaries and on any text', () => {
    const samples: string[] = [];
    for (let n = 0; n < 200; n++) samples.push('k'.repeat(n));
    for (let i = 0; i < 300; i++) {
      const bytes = randomBytes(1 + (i % 90));
      let s = '';
      for (const b of bytes) s += b % 5 === 0 ? String.fromCharCode(0xd800 + b) : String.fromCharCode(b * 37);
      samples.push(s, bytes.toString('base64'), '😀é' + s);
    }
    for (const s of samples) expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
  });
});
