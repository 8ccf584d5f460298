import { describe, expect, it } from 'vitest';
import {
  createKnownKeySet,
  echoFinder,
  knownKeyFingerprints,
  scanText,
  withRevokedKeys,
  encodedForms,
} from '../src/index.js';
import { KeyMatcher } from '../src/incident/match.js';
import { REMOVED_MARKER, replaceKey, scrubKey } from '../src/incident/replace.js';
import {
  classifyProjectFile,
  globBase,
  globToRegExp,
  HOME_LOCATIONS,
  PROJECT_PATTERNS,
} from '../src/incident/locations.js';
import {
  parseRevokedKeysFile,
  serializeRevokedKeysFile,
  withRevoked,
  RevokedKeysFileError,
} from '../src/incident/revoked.js';
import { renderIncidentMarkdown, safeRemote, type IncidentReport } from '../src/incident/report.js';

const KEY = 'sk_test_FAKEq8Zr2LmN4pV7xW1yB3cD5eF';
const NEW = 'sk_test_FAKEnewKeyA1b2C3d4E5f6G7h8'; // shares 9 characters with KEY: no "copy" of KEY
const b64 = (s: string) => btoa(s);
const b64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

async function matcher(withKey: boolean): Promise<KeyMatcher> {
  const m = new KeyMatcher({ label: 'Prod', fingerprints: await knownKeyFingerprints(KEY) });
  if (withKey) m.useSecret(KEY);
  return m;
}

describe('KeyMatcher', () => {
  it('finds the key and its base64, URL and JSON forms by fingerprint alone, also on a signus:allow line', async () => {
    const m = await matcher(false);
    const text = `a=${KEY} // signus:allow\nb=${b64(KEY)}\nc="${JSON.stringify(KEY).slice(1, -1)}"\nother=sk_test_FAKEotherKeyZZZZZZZZZZZZ\n`;
    const { matches } = m.find(text);
    expect(matches.map((x) => [x.line, x.encoding])).toEqual([
      [1, 'plain'],
      [2, 'base64'],
      [3, 'plain'],
    ]);
  });

  it('reads the key back from a copy, checked against the fingerprints; a wrong text gives nothing', async () => {
    const m = await matcher(false);
    const text = `x ${b64(KEY)}\n`;
    const [match] = m.find(text).matches;
    expect(await m.recover(text, match!)).toBe(KEY);
    expect(await m.recover(`x ${b64(NEW)}\n`, match!)).toBeUndefined();
  });

  it('with the key: any case, base64 at any alignment (Basic auth), escapes of every character, invisible characters', async () => {
    const m = await matcher(true);
    const pct = [...KEY].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    const text = [
      KEY.toUpperCase(),
      `Authorization: Basic ${b64(`api:${KEY}`)}`,
      pct,
      `${KEY.slice(0, 12)}\u200b${KEY.slice(12)}`,
      'nothing here',
    ].join('\n');
    const lines = m.find(text).matches.map((x) => x.line);
    expect(new Set(lines)).toEqual(new Set([1, 2, 3, 4]));
    // Without the key only fingerprint forms are found: none of these four.
    expect((await matcher(false)).find(text).matches).toEqual([]);
  });
});

describe('replaceKey and scrubKey', () => {
  it('replaces the key in its own form: plain, percent and JSON escapes, base64 (padded, URL-safe, Basic auth)', () => {
    const pct = [...KEY].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    const text = `a=${KEY}\nb=${pct}\nc="\\u0073k_${KEY.slice(3)}"\nd=${b64(KEY)}\ne=${b64url(KEY)}\nf=Basic ${b64(`api:${KEY}`)}\n`;
    const out = replaceKey(text, KEY, NEW);
    expect(out.remaining).toBe(0);
    expect(out.changed).toBe(6);
    expect(out.text).not.toContain(KEY.slice(9));
    expect(out.text).toContain(
      `a=${NEW}\nb=${NEW}\nc="${NEW}"\nd=${b64(NEW)}\ne=${b64url(NEW)}\nf=Basic ${b64(`api:${NEW}`)}\n`,
    );
  });

  it('counts what it cannot rewrite (a case-changed copy) instead of pretending', () => {
    const out = replaceKey(`${KEY.toUpperCase()}\n`, KEY, NEW);
    expect(out.changed).toBe(0);
    expect(out.remaining).toBe(1);
  });

  it('scrubs every form to the marker and keeps JSON lines valid', () => {
    const text = `{"m":"${KEY}","n":"${KEY.toUpperCase()}","o":"${b64(`u:${KEY}`)}"}\n`;
    const out = scrubKey(text, KEY);
    expect(out.remaining).toBe(0);
    expect(JSON.parse(out.text)).toMatchObject({ m: REMOVED_MARKER });
    expect(echoFinder(KEY)(out.text)).toEqual([]);
  });
});

describe('locations', () => {
  it('globs: * within a name, ** across folders (also none)', () => {
    const re = globToRegExp('.claude/projects/**/*.jsonl');
    expect(re.test('.claude/projects/a.jsonl')).toBe(true);
    expect(re.test('.claude/projects/x/y/a.jsonl')).toBe(true);
    expect(re.test('.claude/projects/x/a.json')).toBe(false);
    expect(globToRegExp('.zsh_sessions/*').test('.zsh_sessions/a/b')).toBe(false);
    expect(globBase('.codex/sessions/**/*.jsonl')).toBe('.codex/sessions');
    expect(globBase('.bash_history')).toBe('.bash_history');
  });

  it('every location is data: a class, a tool, relative paths with no ..', () => {
    for (const l of HOME_LOCATIONS)
      for (const p of l.paths) expect(p.startsWith('/') || p.split('/').includes('..'), p).toBe(false);
    expect(PROJECT_PATTERNS.length).toBeGreaterThan(5);
  });

  it('classifies project files', () => {
    expect(classifyProjectFile('api/test.http').class).toBe('api-client');
    expect(classifyProjectFile('x.postman_collection.json').tool).toBe('Postman');
    expect(classifyProjectFile('collections/get.bru').tool).toBe('Bruno');
    expect(classifyProjectFile('.vscode/launch.json').class).toBe('vscode-settings');
    expect(classifyProjectFile('.aider.chat.history.md').class).toBe('agent-transcript');
    expect(classifyProjectFile('src/app.ts').class).toBe('working-tree');
  });
});

describe('revoked keys', () => {
  it('round-trips, merges by fingerprint, refuses what is not a fingerprint', async () => {
    const fps = await knownKeyFingerprints(KEY);
    const entry = { label: 'Prod', masked: 'sk_••••••••', revokedAt: '2026-12-02T00:00:00Z', fingerprints: fps };
    const text = serializeRevokedKeysFile(withRevoked([entry], { ...entry, label: 'Prod again' }));
    expect(parseRevokedKeysFile(text)).toEqual([{ ...entry, label: 'Prod again' }]);
    expect(() => parseRevokedKeysFile('{"version":1,"revoked":[{"fingerprints":["sk_x"]}]}')).toThrow(
      RevokedKeysFileError,
    );
    expect(() => parseRevokedKeysFile('nope')).toThrow(/not valid JSON/);
  });

  it('a scan names a copy of a revoked key "revoked key", also base64-encoded, over an active label', async () => {
    const fps = await knownKeyFingerprints(KEY);
    const set = withRevokedKeys(createKnownKeySet([{ label: 'Prod', fingerprints: fps }]), [
      { label: 'Prod', revokedAt: '2026-12-02T10:00:00Z', fingerprints: fps },
    ]);
    const found = await scanText(`a=${KEY}\nb=${b64(KEY)}\n`, { knownKeys: set! });
    expect(found.map((f) => f.message)).toEqual([
      'Your revoked key "Prod (revoked 2026-12-02)" is in this file: it no longer works, but remove it.',
      'Your revoked key "Prod (revoked 2026-12-02)" is in this file (base64-encoded): it no longer works, but remove it.',
    ]);
    expect(found.every((f) => f.revoked)).toBe(true);
  });
});

describe('the report', () => {
  const report: IncidentReport = {
    version: 1,
    generatedAt: '2026-12-02T00:00:00.000Z',
    key: { label: 'Prod | x', masked: 'sk_••••••••5eF', fingerprint: 'f'.repeat(64) },
    matchedWithKey: true,
    searched: { roots: ['/w'], home: '/h', history: true, maxFileBytes: 10, files: 1, bytes: 2 },
    files: [
      {
        path: `/h/.codex/x\n| a | b |${KEY}.jsonl`,
        class: 'agent-transcript',
        count: 1,
        places: [{ line: 1, column: 1, encoding: 'plain' }],
        action: 'scrub',
      },
    ],
    history: [
      {
        repo: '/w',
        remotes: [{ name: 'origin', url: 'https://user:ghp_token@example.test/r.git' }],
        commits: 1,
        findings: [],
      },
    ],
    skipped: { tooLarge: [], binary: [], unreadable: [], symlinks: 0, skippedDirectories: 0, truncated: false },
    steps: [],
  };

  it('holds no key, keeps a crafted name in one cell, hides remote credentials', () => {
    const md = renderIncidentMarkdown(report);
    for (const form of encodedForms(KEY)) expect(md).not.toContain(form);
    expect(md).toContain('| `"~/.codex/x\\n\\| a \\| b \\|sk_••••••••D5eF.jsonl"` | 1 |');
    expect(md).not.toContain('ghp_token');
    expect(safeRemote('https://u:p@h/x')).toBe('https://***@h/x');
  });
});
