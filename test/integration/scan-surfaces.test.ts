/**
 * One scan context for every surface: the same files give the same findings in the editor's scanner
 * (scanDocument on an opened context, what the VS Code squiggle and Scan Workspace call), the tree scan,
 * the staged scan and the pre-commit hook, in a real temporary git repository, with allow comments,
 * .signusignore (a fingerprint and a path), a baseline and a known-keys file at a custom path (as the
 * VS Code extension's signus.knownKeys.path setting gives it, and passes to the hook it installs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnownKeySet, fingerprintSecret, knownKeyFingerprints, serializeBaseline } from '@signus/shared';
import { openScanContext, scanDocument, writeKnownKeys } from '@signus/shared/node';
import { assertCliBuilt } from './cli-run.js';
import { cleanupTempDirs, fakeKey, makeRepo, parseJson, tempDir, type Repo } from './scan-helpers.js';

const key = (f: { path: string; line: number; column: number; ruleId: string; fingerprint: string }) =>
  `${f.path}:${f.line}:${f.column} ${f.ruleId} ${f.fingerprint.slice(0, 12)}`;

let repo: Repo;
let knownFile: string;
let files: Record<string, string>;
const expected: string[] = [];

beforeAll(async () => {
  assertCliBuilt();
  repo = makeRepo();
  const own = fakeKey();
  const found = fakeKey();
  const allowed = fakeKey();
  const nextLine = fakeKey();
  const ignoredByFp = fakeKey();
  const ignoredByPath = fakeKey();
  const baselined = fakeKey();
  knownFile = join(tempDir('signus-known-'), 'custom place', 'known-keys.json');
  const entries = [{ label: 'Production', fingerprints: await knownKeyFingerprints(own) }];
  writeKnownKeys(entries, knownFile);
  const ownB64 = Buffer.from(`${own}\n`).toString('base64');

  files = {
    'src/client.ts': [
      `const a = "${found}";`,
      `const b = "${allowed}"; // signus:allow`,
      '// signus:allow-next-line',
      `const c = "${nextLine}";`,
      `const mine = '${own}';`,
      'n = sk_GENERAL_NAME_num(names); // an OpenSSL name, not a key',
      `const old = "${baselined}";`,
      '',
    ].join('\n'),
    'deploy/secret.yaml': `data:\n  api-key: ${ownB64}\n  other: ${ignoredByFp}\n`,
    'fixtures/sample.env': `SIGNUS_API_KEY=${ignoredByPath}\n`,
  };
  for (const [path, text] of Object.entries(files)) repo.write(path, text);
  repo.write('.signusignore', `fixtures/\n${await fingerprintSecret(ignoredByFp)}\n`);
  const baselineEntry = {
    path: 'src/client.ts',
    ruleId: 'signus-api-key',
    fingerprint: await fingerprintSecret(baselined),
  };
  repo.write('.signus-baseline.json', serializeBaseline({ version: 1, tool: 'signus', findings: [baselineEntry] }));

  expected.push(
    key({
      path: 'src/client.ts',
      line: 1,
      column: 12,
      ruleId: 'signus-api-key',
      fingerprint: await fingerprintSecret(found),
    }),
    key({
      path: 'src/client.ts',
      line: 5,
      column: 15,
      ruleId: 'signus-known-key',
      fingerprint: await fingerprintSecret(own),
    }),
    key({
      path: 'deploy/secret.yaml',
      line: 2,
      column: 12,
      ruleId: 'signus-known-key',
      fingerprint: await fingerprintSecret(ownB64),
    }),
  );
  expected.sort();
  repo.git('add', '-A');
});
afterAll(cleanupTempDirs);

describe('the same findings on every surface', { timeout: 60_000 }, () => {
  it('the editor (scanDocument on openScanContext, with the extension’s in-memory known keys)', async () => {
    const knownKeys = createKnownKeySet(JSON.parse(readFileSync(knownFile, 'utf8')).keys);
    const context = openScanContext(join(repo.dir, 'src'), { knownKeys });
    expect(context.root).toBe(repo.dir);
    const found: string[] = [];
    for (const [path, text] of Object.entries(files)) {
      const { findings } = await scanDocument(context, path, text);
      found.push(...findings.map((f) => key({ ...f, path })));
    }
    expect(found.sort()).toEqual(expected);
  });

  it('signus scan (the tree)', async () => {
    const scan = parseJson(await repo.signus('scan', '--format', 'json', '--known-keys', knownFile));
    expect(scan.findings.map(key).sort()).toEqual(expected);
  });

  it('signus scan --staged', async () => {
    const scan = parseJson(await repo.signus('scan', '--staged', '--format', 'json', '--known-keys', knownFile));
    expect(scan.findings.map(key).sort()).toEqual(expected);
  });

  it('the pre-commit hook, installed with the extension’s known-keys path (no SIGNUS_KNOWN_KEYS set)', async () => {
    const install = await repo.signus('hook', 'install', '--known-keys', knownFile);
    expect(install.code, install.stderr).toBe(0);
    expect(repo.env.SIGNUS_KNOWN_KEYS).toBeUndefined();
    const commit = repo.tryGit('commit', '-m', 'add files');
    expect(commit.code).not.toBe(0);
    // The hook prints text: "path:line:column  severity  rule  masked", then a "fingerprint <hex>" line.
    const found: string[] = [];
    const lines = commit.output.split('\n');
    lines.forEach((line, i) => {
      const m = /^(\S+):(\d+):(\d+)\s+(?:warning|error)\s+(\S+)\s/.exec(line);
      if (!m) return;
      const fp = lines.slice(i + 1, i + 4).find((l) => l.trim().startsWith('fingerprint '));
      found.push(
        key({
          path: m[1]!,
          line: Number(m[2]),
          column: Number(m[3]),
          ruleId: m[4]!,
          fingerprint: fp!.trim().slice('fingerprint '.length),
        }),
      );
    });
    expect(found.sort()).toEqual(expected);
  });
});
