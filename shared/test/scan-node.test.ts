import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { knownKeyFingerprints } from '../src/index.js';
import { defaultKnownKeysPath, hookScript, openScanContext, readKnownKeys, writeKnownKeys } from '../src/node/index.js';
import { parsePatch, parseRawAndPatch } from '../src/node/staged-diff.js';
import { fakeKey } from './scan-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'signus-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('defaultKnownKeysPath', () => {
  it('SIGNUS_KNOWN_KEYS wins', () => {
    expect(defaultKnownKeysPath({ SIGNUS_KNOWN_KEYS: '/x/k.json', HOME: '/h' }, 'linux')).toBe('/x/k.json');
  });
  it('XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultKnownKeysPath({ XDG_CONFIG_HOME: '/cfg', HOME: '/h' }, 'linux')).toBe('/cfg/signus/known-keys.json');
    expect(defaultKnownKeysPath({ HOME: '/h' }, 'darwin')).toBe('/h/.config/signus/known-keys.json');
    expect(defaultKnownKeysPath({ XDG_CONFIG_HOME: 'relative', HOME: '/h' }, 'linux')).toBe(
      '/h/.config/signus/known-keys.json',
    );
  });
  it('%APPDATA% on Windows', () => {
    expect(defaultKnownKeysPath({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toMatch(
      /AppData.Roaming.signus.known-keys\.json$/,
    );
  });
});

describe('readKnownKeys / writeKnownKeys', () => {
  it('writes fingerprints only, mode 0600, and reads them back', async () => {
    const key = fakeKey();
    const file = join(dir, 'cfg', 'signus', 'known-keys.json');
    writeKnownKeys([{ label: 'Prod', fingerprints: await knownKeyFingerprints(key) }], file);
    expect(readFileSync(file, 'utf8')).not.toContain(key.slice(3));
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readKnownKeys(file)?.labels.size).toBeGreaterThan(1);
  });
  it('the default file is optional; an explicit one must exist; errors name the file', () => {
    const prev = process.env.SIGNUS_KNOWN_KEYS;
    process.env.SIGNUS_KNOWN_KEYS = join(dir, 'missing.json');
    try {
      expect(readKnownKeys()).toBeUndefined();
    } finally {
      if (prev === undefined) delete process.env.SIGNUS_KNOWN_KEYS;
      else process.env.SIGNUS_KNOWN_KEYS = prev;
    }
    expect(() => readKnownKeys(join(dir, 'missing.json'))).toThrow(
      /cannot read the known-keys file .*missing\.json: ENOENT/,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{');
    expect(() => readKnownKeys(bad)).toThrow(/bad\.json: the known-keys file is not valid JSON/);
  });
});

describe('openScanContext', () => {
  it('on a file outside any repository: the project is the folder that holds it', () => {
    // (It used to look for the baseline inside the file, and `signus scan FILE` failed with ENOTDIR.)
    const folder = mkdtempSync(join(tmpdir(), 'signus-lone-'));
    try {
      const file = join(folder, 'notes.txt');
      writeFileSync(file, 'nothing here\n');
      writeFileSync(join(folder, '.signusignore'), 'notes.txt\n');
      const context = openScanContext(file, { knownKeys: false });
      expect(context.root).toBe(folder);
      expect(context.ignore?.isPathIgnored('notes.txt')).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('parsing git diff --cached --raw -p -z', () => {
  it('pairs raw and numstat records with patch sections and numbers added lines in the new file', () => {
    const raw =
      ':000000 100644 0000000000000000000000000000000000000000 1111111111111111111111111111111111111111 A\0new file.txt\0' +
      ':100644 100644 2222222222222222222222222222222222222222 3333333333333333333333333333333333333333 R087\0old.txt\0dir/renamed ü.txt\0' +
      ':000000 160000 0000000000000000000000000000000000000000 4444444444444444444444444444444444444444 A\0sub\0' +
      ':000000 100644 0000000000000000000000000000000000000000 5555555555555555555555555555555555555555 A\0bin.dat\0' +
      '2\t0\tnew file.txt\0' +
      '2\t1\t\0old.txt\0dir/renamed ü.txt\0' +
      '1\t0\tsub\0' +
      '-\t-\tbin.dat\0\0';
    const patch = [
      'diff --git a/new file.txt b/new file.txt',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new file.txt\t',
      '@@ -0,0 +1,2 @@',
      '+one',
      '+two',
      '\\ No newline at end of file',
      'diff --git a/old.txt b/dir/renamed ü.txt',
      'similarity index 87%',
      '@@ -4,2 +4,3 @@ context',
      ' kept',
      '-removed',
      '+added at 5',
      '+added at 6',
      'diff --git a/sub b/sub',
      '@@ -0,0 +1 @@',
      '+Subproject commit 4444444444444444444444444444444444444444',
      'diff --git a/bin.dat b/bin.dat',
      'Binary files /dev/null and b/bin.dat differ',
      '',
    ].join('\n');
    const { raw: entries, patch: text } = parseRawAndPatch(Buffer.from(raw + patch));
    expect(entries.map((e) => [e.path, e.status, e.newMode])).toEqual([
      ['new file.txt', 'A', '100644'],
      ['dir/renamed ü.txt', 'R', '100644'],
      ['sub', 'A', '160000'],
      ['bin.dat', 'A', '100644'],
    ]);
    const files = parsePatch(text, entries);
    expect(parsePatch(text, entries, () => false).map((f) => [f.addedCount, f.binary, f.lines.length])).toEqual([
      [2, false, 0],
      [2, false, 0],
      [1, false, 0],
      [0, true, 0],
    ]);
    expect(files[0]!.lines).toEqual([
      { number: 1, text: 'one', added: true },
      { number: 2, text: 'two', added: true },
    ]);
    expect(files[1]!.lines.filter((l) => l.added).map((l) => l.number)).toEqual([5, 6]);
    expect(files[3]!.binary).toBe(true);
  });
  it('refuses output it cannot pair up', () => {
    expect(() => parsePatch(Buffer.from('diff --git a/x b/x\n'), [])).toThrow(/cannot tell which lines/);
  });
});

describe('the hook script', () => {
  it('names node and the CLI absolutely, quotes them for sh, and never uses npx', () => {
    const script = hookScript('/opt/node 20/bin/node', "/home/o'brien/signus.mjs");
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    // The hook's own file beside the CLI when it is there, else the CLI.
    expect(script).toContain(
      `entry='/home/o'\\''brien/signus-hook.cjs'\n[ -f "$entry" ] || entry='/home/o'\\''brien/signus.mjs'\n`,
    );
    expect(script).toContain(
      `exec '/opt/node 20/bin/node' --min-semi-space-size=2 "$entry" scan --staged --diff-stdin`,
    );
    expect(script).not.toMatch(/\bnpx\b/);
    expect(script).toContain('--no-verify');
  });
});
