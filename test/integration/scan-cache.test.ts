// Issue 9 §5: the tree scan's rescan cache, attacked in real repositories. Every rescan must give what a
// scan that reads every file (without --cache) gives, after any change that could make a cached answer stale.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownKeyFingerprints, serializeKnownKeysFile } from '@signus/shared';
import { markRevoked, revokedKeysPath } from '@signus/shared/node';
import { assertCliBuilt, runCli } from './cli-run.js';
import { cleanupTempDirs, fakeKey, isolatedEnv, makeRepo, parseJson, tempDir, type Repo } from './scan-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

const CACHE = join('.git', 'signus', 'scan-cache-v2');
const CACHE_NOTE = /answered from the scan cache/;

/** A repository of committed files, one holding a key, scanned once so the cache is written. */
async function cachedRepo(): Promise<{ repo: Repo; key: string }> {
  const repo = makeRepo();
  const key = fakeKey();
  for (let i = 0; i < 20; i++) repo.write(`src/file-${i}.js`, `export const n${i} = ${i};\n`);
  repo.write('config.js', `export const apiKey = "${key}";\n`);
  repo.write('notes.md', 'nothing here\n');
  repo.write('src/same-size.js', `const k = "${'x'.repeat(key.length)}";\n`);
  repo.git('add', '.');
  repo.git('commit', '-qm', 'init');
  const first = parseJson(await repo.signus('scan', '--format', 'json', '--cache'));
  expect(first.summary.skipped.some((s) => CACHE_NOTE.test(s))).toBe(false);
  return { repo, key };
}

/** Scans with --cache and without; they must agree on everything but the cache's own note. */
async function scanBoth(repo: Repo, ...args: string[]) {
  const [cached, full] = [
    await repo.signus('scan', '--format', 'json', '--cache', ...args),
    await repo.signus('scan', '--format', 'json', '--no-cache', ...args),
  ];
  const a = parseJson(cached);
  const b = parseJson(full);
  const hits = Number(/^(\d+) unchanged/.exec(a.summary.skipped.find((s) => CACHE_NOTE.test(s)) ?? '0')?.[1] ?? 0);
  const strip = (s: typeof a) => ({
    findings: s.findings,
    summary: { ...s.summary, durationMs: 0, skipped: s.summary.skipped.filter((n) => !CACHE_NOTE.test(n)) },
  });
  expect(strip(a)).toEqual(strip(b));
  expect(cached.code).toBe(full.code);
  return { scan: a, hits };
}

const lines = (scan: { findings: { path: string; line: number }[] }) =>
  scan.findings.map((f) => `${f.path}:${f.line}`).sort();

describe('rescan cache', { timeout: 120_000 }, () => {
  it('a rescan of an unchanged tree reads no tracked file again and says so; the cache holds no key', async () => {
    const { repo, key } = await cachedRepo();
    const { scan, hits } = await scanBoth(repo);
    expect(hits).toBe(23);
    expect(lines(scan)).toEqual(['config.js:1']);
    const file = readFileSync(join(repo.dir, CACHE), 'latin1');
    expect(file).not.toContain(key.slice(8));
    expect(file).toContain(scan.findings[0]!.fingerprint);
  });

  it('an edit, even of the same size in the same second, is read: the key is found, a removed key is gone', async () => {
    const { repo, key } = await cachedRepo();
    const other = fakeKey();
    // The same size, written right after the scan (within the same second as the index).
    repo.write('src/same-size.js', `const k = "${other}";\n`);
    repo.write('src/file-4.js', `k = "${fakeKey()}";\n`);
    repo.write('config.js', `export const apiKey = process.env.KEY;\n`);
    const { scan, hits } = await scanBoth(repo);
    expect(lines(scan)).toEqual(['src/file-4.js:1', 'src/same-size.js:1']);
    expect(hits).toBe(20);
    expect(JSON.stringify(scan)).not.toContain(key.slice(8));
  });

  it('checkout, rebase, stash and stash pop: each gives the full scan answer', async () => {
    const { repo } = await cachedRepo();
    repo.git('checkout', '-qb', 'feature');
    repo.write('src/file-1.js', `const k = "${fakeKey()}";\n`);
    repo.git('commit', '-qam', 'feature key');
    expect(lines((await scanBoth(repo)).scan)).toEqual(['config.js:1', 'src/file-1.js:1']);
    repo.git('checkout', '-q', 'main');
    expect(lines((await scanBoth(repo)).scan)).toEqual(['config.js:1']);
    repo.write('config.js', 'export const apiKey = process.env.KEY;\n');
    repo.git('commit', '-qam', 'key removed on main');
    await scanBoth(repo);
    repo.git('checkout', '-q', 'feature');
    repo.git('rebase', '-q', 'main');
    expect(lines((await scanBoth(repo)).scan)).toEqual(['src/file-1.js:1']);
    repo.write('src/file-2.js', `const k2 = "${fakeKey()}";\n`);
    await scanBoth(repo);
    repo.git('stash', '-q');
    expect(lines((await scanBoth(repo)).scan)).toEqual(['src/file-1.js:1']);
    repo.git('stash', 'pop', '-q');
    expect(lines((await scanBoth(repo)).scan)).toEqual(['src/file-1.js:1', 'src/file-2.js:1']);
  });

  it('.signusignore and the known keys are part of the answer: changing either is seen', async () => {
    const { repo } = await cachedRepo();
    const { scan } = await scanBoth(repo);
    repo.write('.signusignore', `${scan.findings[0]!.fingerprint}\n`);
    expect(lines((await scanBoth(repo)).scan)).toEqual([]);
    repo.write('.signusignore', '# nothing ignored\n');
    expect(lines((await scanBoth(repo)).scan)).toEqual(['config.js:1']);

    // A key of the user's, base64-encoded in a committed file: only the known-keys file makes it a finding.
    const mine = fakeKey();
    repo.write('deploy.yaml', `token: ${Buffer.from(mine).toString('base64')}\n`);
    repo.git('add', 'deploy.yaml');
    repo.git('commit', '-qm', 'deploy');
    expect(lines((await scanBoth(repo)).scan)).toEqual(['config.js:1']);
    const known = join(repo.env.XDG_CONFIG_HOME!, 'signus', 'known-keys.json');
    mkdirSync(join(known, '..'), { recursive: true });
    const fingerprints = await knownKeyFingerprints(mine);
    writeFileSync(known, serializeKnownKeysFile([{ label: 'Mine', fingerprints }]));
    expect(lines((await scanBoth(repo)).scan)).toEqual(['config.js:1', 'deploy.yaml:1']);

    // The key revoked since (revoked-keys.json beside the known keys): a rescan names it revoked, and that
    // answer is cached like any other.
    markRevoked(
      { label: 'Mine', masked: 'sk_••••••••mine', revokedAt: '2026-12-02T23:00:00Z', fingerprints },
      revokedKeysPath(known),
    );
    const revoked = (await scanBoth(repo)).scan.findings.find((f) => f.path === 'deploy.yaml');
    expect(JSON.stringify(revoked)).toContain('revoked key');
    const again = await scanBoth(repo);
    expect(again.scan.findings.find((f) => f.path === 'deploy.yaml')).toEqual(revoked);
    expect(again.hits).toBe(24);
  });

  it('identical files share one answer, an edit to one of them is read; index v4 and a split index agree', async () => {
    const { repo } = await cachedRepo();
    repo.write('copy-a.js', 'export const same = 1;\n');
    repo.write('copy-b.js', 'export const same = 1;\n');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'copies');
    await scanBoth(repo);
    repo.write('copy-b.js', `export const k = "${fakeKey()}";\n`);
    expect(lines((await scanBoth(repo)).scan)).toEqual(['config.js:1', 'copy-b.js:1']);
    // Version 4 (paths prefix-compressed) is read in-process too: the cache still answers.
    repo.git('update-index', '--index-version', '4');
    const v4 = await scanBoth(repo);
    expect(lines(v4.scan)).toEqual(['config.js:1', 'copy-b.js:1']);
    expect(v4.hits).toBe(24);
    // A split index is not: git lists the files, every one is read, the answer is the same.
    repo.git('update-index', '--split-index');
    const split = await scanBoth(repo);
    expect(lines(split.scan)).toEqual(['config.js:1', 'copy-b.js:1']);
    expect(split.hits).toBe(0);
  });

  it('is on by default: a plain rescan answers from it; --no-cache reads every file and leaves it alone', async () => {
    const { repo, key } = await cachedRepo();
    const before = readFileSync(join(repo.dir, CACHE));
    const plain = parseJson(await repo.signus('scan', '--format', 'json'));
    expect(plain.summary.skipped).toContain(
      '23 unchanged tracked files answered from the scan cache, not read again (--no-cache reads every file)',
    );
    expect(lines(plain)).toEqual(['config.js:1']);
    repo.write('src/file-3.js', `k = "${fakeKey()}";\n`);
    const full = parseJson(await repo.signus('scan', '--format', 'json', '--no-cache'));
    expect(full.summary.skipped.some((s) => CACHE_NOTE.test(s))).toBe(false);
    expect(lines(full)).toEqual(['config.js:1', 'src/file-3.js:1']);
    expect(readFileSync(join(repo.dir, CACHE)).equals(before)).toBe(true);
    expect(readFileSync(join(repo.dir, CACHE), 'latin1')).not.toContain(key.slice(3));
  });

  it('--cache and --no-cache contradict each other', async () => {
    const { repo } = await cachedRepo();
    const run = await repo.signus('scan', '--cache', '--no-cache');
    expect(run.code).toBe(2);
  });

  it('assume-unchanged and skip-worktree files are always read (git stops comparing them)', async () => {
    const { repo } = await cachedRepo();
    repo.git('update-index', '--assume-unchanged', 'src/file-5.js');
    await scanBoth(repo);
    repo.write('src/file-5.js', `const k = "${fakeKey()}";\n`);
    expect(lines((await scanBoth(repo)).scan)).toEqual(['config.js:1', 'src/file-5.js:1']);
    repo.git('update-index', '--skip-worktree', 'src/file-6.js');
    await scanBoth(repo);
    repo.write('src/file-6.js', `const k = "${fakeKey()}";\n`);
    expect(lines((await scanBoth(repo)).scan)).toEqual(['config.js:1', 'src/file-5.js:1', 'src/file-6.js:1']);
  });

  it('a corrupt, tampered or foreign cache is ignored, never trusted', async () => {
    const { repo } = await cachedRepo();
    const file = join(repo.dir, CACHE);
    const good = readFileSync(file, 'latin1');

    // Tampered: the file's finding removed, everything else kept (the signature no longer matches).
    const newline = good.indexOf('\n');
    const headerEnd = good.indexOf('\n', newline + 1);
    const header = JSON.parse(good.slice(newline + 1, headerEnd)) as { found: Record<string, unknown> };
    expect(Object.keys(header.found)).toHaveLength(1);
    header.found = {};
    const body = `${JSON.stringify(header)}${good.slice(headerEnd)}`;
    writeFileSync(file, `${good.slice(0, newline)}\n${body}`, 'latin1');
    let run = await scanBoth(repo);
    expect(lines(run.scan)).toEqual(['config.js:1']);
    expect(run.hits).toBe(0);

    for (const junk of ['', 'not a cache', '\n{}', `${'0'.repeat(64)}\n${body}`]) {
      writeFileSync(file, junk);
      run = await scanBoth(repo);
      expect(lines(run.scan)).toEqual(['config.js:1']);
      expect(run.hits).toBe(0);
    }

    // Written by another user (another signing secret): not trusted either.
    writeFileSync(file, good, 'latin1');
    const stranger = isolatedEnv(tempDir('signus-stranger-'));
    const foreign = await runCli(['scan', '--format', 'json', '--cache'], { cwd: repo.dir, env: stranger });
    expect(parseJson(foreign).summary.skipped.some((s) => CACHE_NOTE.test(s))).toBe(false);
  });

  it('a cache that cannot be written only means no cache: the scan still answers', async () => {
    const { repo } = await cachedRepo();
    const dir = join(repo.dir, '.git', 'signus');
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'in the way\n');
    repo.write('src/file-9.js', `const k = "${fakeKey()}";\n`);
    expect(lines((await scanBoth(repo)).scan)).toEqual(['config.js:1', 'src/file-9.js:1']);
    expect((await scanBoth(repo)).hits).toBe(0);
  });

  it('--cache goes with a tree scan only', async () => {
    const { repo } = await cachedRepo();
    const run = await repo.signus('scan', '--staged', '--cache');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--cache goes with a tree scan');
  });
});
