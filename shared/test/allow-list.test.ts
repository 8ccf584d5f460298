import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKnownKeySet, fingerprintSecret, knownKeyFingerprints, scanText } from '../src/index.js';
import {
  allowFingerprint,
  listAllowed,
  openScanContext,
  removeAllowed,
  scanDocument,
  withoutAllowComment,
} from '../src/node/index.js';
import { fakeKey } from './scan-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'signus-allow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function repo(name: string): string {
  const root = join(dir, name);
  execFileSync('git', ['init', '-q', root]);
  return root;
}

describe('the allow list', () => {
  it('allowFingerprint writes the fingerprint once, with a note and no key, and every scan honours it', async () => {
    const root = repo('write');
    const key = fakeKey();
    writeFileSync(join(root, 'a.ts'), `const k = '${key}';\n`);
    const [finding] = await scanText(`const k = '${key}';\n`);
    expect(finding).toBeDefined();
    expect(allowFingerprint(root, finding!.fingerprint, `a.ts: ${finding!.masked}, allowed in VS Code`)).toBe(true);
    expect(allowFingerprint(root, finding!.fingerprint.toUpperCase(), 'again')).toBe(false);
    const text = readFileSync(join(root, '.signusignore'), 'utf8');
    expect(text).not.toContain(key.slice(3));
    expect(text.match(/[0-9a-f]{64}/g)).toHaveLength(1);
    const context = openScanContext(root, { knownKeys: false });
    expect((await scanDocument(context, 'a.ts', `const k = '${key}';\n`)).findings).toEqual([]);
    expect(() => allowFingerprint(root, 'sk_not_a_fingerprint', 'x')).toThrow(/fingerprint/);
  });

  it('lists .signusignore fingerprints and paths, allow comments and the baseline, with where each is', async () => {
    const root = repo('list');
    const mine = fakeKey();
    const other = fakeKey();
    const fp = await fingerprintSecret(other);
    writeFileSync(
      join(root, '.signusignore'),
      `fixtures/**\n# b.py: sk_••••••••${other.slice(-4)}, allowed in VS Code\n${fp}\n`,
    );
    writeFileSync(
      join(root, 'c.py'),
      `x = 1\n# signus:allow-next-line\nK = "${mine}"\nJ = "${other}"  # signus:allow\n`,
    );
    writeFileSync(
      join(root, '.signus-baseline.json'),
      JSON.stringify({
        version: 1,
        tool: 'signus',
        findings: [{ path: 'old.ts', ruleId: 'signus-api-key', fingerprint: fp }],
      }),
    );
    const known = createKnownKeySet([{ label: 'Mine', fingerprints: await knownKeyFingerprints(mine) }]);
    const entries = await listAllowed(root, known);
    expect(entries.map((e) => [e.source, e.file, e.line])).toEqual([
      ['signusignore-path', '.signusignore', 1],
      ['signusignore', '.signusignore', 3],
      ['comment', 'c.py', 2],
      ['comment', 'c.py', 4],
      ['baseline', '.signus-baseline.json', 0],
    ]);
    expect(entries[1]).toMatchObject({ fingerprint: fp, masked: `sk_••••••••${other.slice(-4)}` });
    expect(entries[2]).toMatchObject({ knownKeyLabel: 'Mine', masked: `sk_••••••••${mine.slice(-4)}` });
    const json = JSON.stringify(entries);
    expect(json).not.toContain(mine.slice(3));
    expect(json).not.toContain(other.slice(3));
  });

  it('removes exactly the entry listed, and refuses when the file changed since', async () => {
    const root = repo('remove');
    const key = fakeKey();
    writeFileSync(join(root, 'c.ts'), `const a = 1;\nconst k = '${key}'; // signus:allow\n`);
    const fp = await fingerprintSecret(key);
    allowFingerprint(root, fp, 'c.ts: allowed in VS Code');
    writeFileSync(join(root, '.signusignore'), `*.snap\n${readFileSync(join(root, '.signusignore'), 'utf8')}`);
    const [glob, byFingerprint, comment] = await listAllowed(root);
    expect(removeAllowed(byFingerprint!)).toBe(true);
    expect(readFileSync(join(root, '.signusignore'), 'utf8')).toBe('*.snap\n');
    expect(removeAllowed(byFingerprint!)).toBe(false);
    expect(removeAllowed(comment!)).toBe(true);
    expect(readFileSync(join(root, 'c.ts'), 'utf8')).toBe(`const a = 1;\nconst k = '${key}';\n`);
    expect(removeAllowed(glob!)).toBe(true);
    expect(readFileSync(join(root, '.signusignore'), 'utf8')).toBe('');
    expect(await listAllowed(root)).toEqual([]);
  });

  it('takes the marker and an emptied comment out of a line, in any comment syntax', () => {
    expect(withoutAllowComment(`k = 'x'  # signus:allow`)).toBe(`k = 'x'`);
    expect(withoutAllowComment(`k = 'x'; // signus:allow (fixture)`)).toBe(`k = 'x'; // (fixture)`);
    expect(withoutAllowComment('<!-- signus:allow -->')).toBe('');
    expect(withoutAllowComment('  // signus:allow-next-line')).toBe('');
  });
});
