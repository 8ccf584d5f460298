import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownKeyFingerprints, RULE_METADATA, serializeKnownKeysFile } from '@signus/shared';
import { sarifValidator } from './sarif-validator.js';
import { assertCliBuilt, runCli } from './cli-run.js';
import { cleanupTempDirs, fakeKey, makeRepo, tempDir, type Repo } from './scan-helpers.js';
import { repoWithRemote, type HistoryJson } from './history-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function history(
  repo: Repo,
  ...args: string[]
): Promise<{ code: number | null; json: HistoryJson; raw: string }> {
  const run = await repo.signus('scan', ...args, '--format', 'json');
  try {
    return { code: run.code, json: JSON.parse(run.stdout) as HistoryJson, raw: run.stdout + run.stderr };
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}

describe('signus scan --history', { timeout: 60_000 }, () => {
  it('tells each key its story: first commit, removal, refs, stashes, tags, merges, renames, messages, pushed or not', async () => {
    const repo = repoWithRemote();
    const keys = Array.from({ length: 8 }, fakeKey);
    const [pushedKey, messageKey, tagKey, stashKey, oldStashKey, mergeKey, goneKey, knownKey] = keys as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    repo.commit('init', { 'README.md': '# demo\n' });
    const added = repo.commit('add config', { 'config.ts': `// settings\nexport const key = "${pushedKey}";\n` });
    repo.git('mv', 'config.ts', 'settings.ts');
    repo.commit('rename config');
    repo.git('push', '-q', 'origin', 'main');

    // A side branch that adds a key and is merged: the branch commit added it, not the merge.
    repo.git('checkout', '-q', '-b', 'side');
    const sideAdd = repo.commit('side work', { 'side.env': `SIGNUS_API_KEY=${mergeKey}\n` });
    repo.git('checkout', '-q', 'main');
    repo.commit('main work', { 'main.txt': 'main\n' });
    repo.git('merge', '-q', '--no-ff', '-m', 'merge side', 'side');

    // Added, then removed on main.
    const goneAdd = repo.commit('temp key', { 'tmp/debug.sh': `curl -H "Authorization: Bearer ${goneKey}"\n` });
    repo.git('rm', '-q', 'tmp/debug.sh');
    const goneDel = repo.commit('remove debug script');

    // A key only in a commit message, on a local branch that was never pushed.
    repo.git('checkout', '-q', '-b', 'feature');
    const messageCommit = repo.commit(`try with ${messageKey}`, { 'feature.txt': 'x\n' });
    repo.git('checkout', '-q', 'main');

    // A key reachable only from an annotated tag.
    repo.git('checkout', '-q', '--detach');
    const tagCommit = repo.commit('release config', { 'release.json': `{"key": "${tagKey}"}\n` });
    repo.git('tag', '-a', '-m', 'release', 'v1.0');
    repo.git('checkout', '-q', 'main');

    // Two stash entries: the older with a staged key, the newer with a working-tree key.
    repo.write('wip.ts', `const k = "${oldStashKey}";\n`);
    repo.git('add', 'wip.ts');
    repo.git('stash', 'push', '-q', '-m', 'older');
    repo.write('README.md', `# demo\ntoken ${stashKey}\n`);
    repo.git('stash', 'push', '-q', '-m', 'newer');

    // A known key of the user's, named as everywhere else.
    repo.commit('known', { 'known.cfg': `k=${knownKey}\n` });
    const knownFile = join(tempDir(), 'known.json');
    writeFileSync(
      knownFile,
      serializeKnownKeysFile([{ label: 'Production', fingerprints: await knownKeyFingerprints(knownKey) }]),
    );

    const { code, json, raw } = await history(repo, '--history', '--known-keys', knownFile);
    expect(code).toBe(1);
    for (const key of keys) expect(raw).not.toContain(key.slice(3));
    const byKey = new Map(json.findings.map((f) => [f.fingerprint, f]));
    expect(json.findings).toHaveLength(8);
    const of = (key: string) => byKey.get(sha256(key))!;

    expect(of(pushedKey)).toMatchObject({
      introduced: { commit: added, path: 'config.ts', line: 2, column: 21 },
      removed: null,
      inHead: true,
      pushed: true,
      remotes: ['origin'],
      remoteRefs: ['refs/remotes/origin/main'],
      occurrences: 1,
      severity: 'warning',
    });
    expect(of(pushedKey).refs).toEqual(expect.arrayContaining(['refs/heads/main', 'refs/heads/feature']));
    expect(of(pushedKey).introduced.snippet).toContain('export const key = "sk_••••••••');

    expect(of(mergeKey)).toMatchObject({
      introduced: { commit: sideAdd, path: 'side.env', line: 1 },
      inHead: true,
      pushed: false,
      remotes: [],
      occurrences: 1,
    });
    expect(of(mergeKey).refs).toEqual(expect.arrayContaining(['refs/heads/main', 'refs/heads/side']));

    expect(of(goneKey)).toMatchObject({
      introduced: { commit: goneAdd, path: 'tmp/debug.sh' },
      removed: { commit: goneDel },
      inHead: false,
      pushed: false,
    });

    expect(of(messageKey)).toMatchObject({
      introduced: { commit: messageCommit, path: null, line: 1 },
      refs: ['refs/heads/feature'],
      inHead: false,
      removed: null,
      pushed: false,
    });

    expect(of(tagKey)).toMatchObject({
      introduced: { commit: tagCommit, path: 'release.json' },
      refs: ['refs/tags/v1.0'],
    });

    expect(of(stashKey).refs).toEqual(['stash@{0}']);
    expect(of(stashKey).introduced.path).toBe('README.md');
    expect(of(oldStashKey).refs).toEqual(['stash@{1}']);
    expect(of(oldStashKey).introduced.path).toBe('wip.ts');

    expect(of(knownKey)).toMatchObject({ severity: 'error', ruleId: 'signus-known-key', knownKeyLabel: 'Production' });
    expect(json.findings[0]!.severity).toBe('error');

    // Every ref, and the older stash entry (with its index commit) that only the stash's reflog names.
    const stashes = repo.git('reflog', 'show', '--format=%H', 'refs/stash').trim().split('\n');
    const commits = Number(repo.git('rev-list', '--count', '--all', ...stashes).trim());
    expect(json.summary.commits).toBe(commits);
    expect(json.summary.messages).toBe(commits);
    expect(json.summary.blobs).toBeGreaterThan(8);
    expect(json.summary.bytesRead).toBeGreaterThan(0);
    expect(json.summary.refsCovered).toEqual(
      expect.arrayContaining([
        'refs/heads/main',
        'refs/tags/v1.0',
        'refs/remotes/origin/main',
        'stash@{0}',
        'stash@{1}',
      ]),
    );

    // Text: the story in words, the known key named, no key in the output.
    const text = await repo.signus('scan', '--history', '--known-keys', knownFile);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('"Production"');
    expect(text.stdout).toContain(`added      ${added.slice(0, 10)}`);
    expect(text.stdout).toContain('pushed     yes: origin (origin/main)');
    expect(text.stdout).toContain(`removed    ${goneDel.slice(0, 10)}`);
    expect(text.stdout).toMatch(/✗ 8 Signus keys in history \(1 pushed\)\. Scanned all refs and stashes: \d+ commits/);
    for (const key of keys) expect(text.stdout + text.stderr).not.toContain(key.slice(3));
    // The advice is the rules' own (RULE_METADATA, as in every other report), then what history adds.
    const advice = text.stdout.slice(text.stdout.indexOf('What to do:')).replace(/\n {3,}/g, ' ');
    for (const step of RULE_METADATA['signus-api-key'].remedy) expect(advice).toContain(step);
    expect(advice).toContain('rewrite the commits that add it before any push');
  });

  it('finds a key only the reflog remembers with --reflog, and says which scope it scanned', async () => {
    const repo = repoWithRemote();
    const key = fakeKey();
    repo.commit('init', { 'a.txt': 'a\n' });
    repo.commit('oops', { 'a.txt': `a ${key}\n` });
    repo.write('a.txt', 'b\n');
    repo.git('commit', '-q', '--amend', '-am', 'fixed');
    const plain = await history(repo, '--history');
    expect(plain.code).toBe(0);
    expect(plain.json.summary.scope).toBe('all refs and stashes');
    const withReflog = await history(repo, '--history', '--reflog');
    expect(withReflog.code).toBe(1);
    expect(withReflog.json.summary.scope).toBe('all refs, stashes and the reflog');
    expect(withReflog.json.findings[0]).toMatchObject({ refs: [], inHead: false, pushed: false });
  });

  it('--branch and --since narrow the walk; --range names the exact range and its commit count', async () => {
    const repo = repoWithRemote();
    const [k1, k2] = [fakeKey(), fakeKey()];
    const base = repo.commit('init', { 'a.txt': 'a\n' });
    repo.git('checkout', '-q', '-b', 'other');
    repo.commit('other key', { 'b.txt': `${k1}\n` });
    repo.git('checkout', '-q', 'main');
    const mainKey = repo.commit('main key', { 'c.txt': `${k2}\n` });
    const onMain = await history(repo, '--history', '--branch', 'main');
    expect(onMain.json.findings.map((f) => f.introduced.commit)).toEqual([mainKey]);
    expect(onMain.json.summary.scope).toBe('branch main');
    const range = await history(repo, '--range', `${base}..main`);
    expect(range.json.findings.map((f) => f.introduced.commit)).toEqual([mainKey]);
    expect(range.json.summary.scope).toBe(
      `range ${base}..main (${base.slice(0, 10)}..${mainKey.slice(0, 10)}, 1 commit)`,
    );
    expect(range.json.summary.commits).toBe(1);
    const since = await history(repo, '--history', '--since', '2099-01-01');
    expect(since.code).toBe(0);
    expect(since.json.summary.notes).toContain('no commit matched: nothing was scanned');
    const bad = await repo.signus('scan', '--range', 'nope..main');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"nope" is not a commit');
    const option = await repo.signus('scan', '--range', '--output=x..main');
    expect(option.code).toBe(2);
  });

  it('an empty repository and a clean history get a clear statement, never a silent zero', async () => {
    const empty = makeRepo();
    const run = await empty.signus('scan', '--history');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('the repository has no commits yet');
    const clean = repoWithRemote();
    clean.commit('init', { 'a.ts': 'export const key = process.env.SIGNUS_API_KEY;\n' });
    const ok = await clean.signus('scan', '--history');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /✓ No Signus keys found in history\. Scanned all refs and stashes: 1 commit and their messages, 1 blob \(\d+ B\), 1 ref covered/,
    );
    const notRepo = await runCli(['scan', '--history'], { cwd: tempDir(), env: empty.env });
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toContain('not inside a git repository');
  });

  it('a shallow clone says where history stops; a submodule change is named, not scanned', async () => {
    const repo = repoWithRemote();
    const key = fakeKey();
    repo.commit('old key', { 'k.txt': `${key}\n` });
    repo.commit('two', { 'b.txt': 'b\n' });
    repo.commit('three', { 'c.txt': 'c\n' });
    repo.git('push', '-q', 'origin', 'main');
    const clone = join(tempDir(), 'shallow');
    repo.git('clone', '-q', '--depth', '1', `file://${repo.bare}`, clone);
    const run = await runCli(['scan', '--history', '--format', 'json'], { cwd: clone, env: repo.env });
    const json = JSON.parse(run.stdout) as HistoryJson;
    expect(run.code).toBe(1);
    expect(json.summary.shallowBoundary).toHaveLength(1);
    expect(json.summary.notes.join(' ')).toContain('shallow clone: history stops at 1 commit');
    expect(json.findings[0]).toMatchObject({ pushed: true, introduced: { shallowBoundary: true, path: 'k.txt' } });

    const sub = repoWithRemote();
    sub.commit('init', { 'a.txt': 'a\n' });
    sub.git('update-index', '--add', '--cacheinfo', `160000,${sub.head()},vendor/lib`);
    sub.git('commit', '-qm', 'add submodule');
    const subRun = await history(sub, '--history');
    expect(subRun.code).toBe(0);
    expect(subRun.json.summary.notes).toContain("1 submodule change not scanned (scan each submodule's own history)");
  });

  it('is valid SARIF 2.1.0 with the story in properties and no secret', async () => {
    const repo = repoWithRemote();
    const key = fakeKey();
    repo.commit('init', { 'src/app config.ts': `export const k = "${key}";\n` });
    repo.commit('msg', {});
    const run = await repo.signus('scan', '--history', '--format', 'sarif');
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain(key.slice(3));
    const log = JSON.parse(run.stdout);
    const validate = sarifValidator();
    expect(validate(log)).toBe(true);
    const result = log.runs[0].results[0];
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('src/app%20config.ts');
    expect(result.properties).toMatchObject({ inHead: true, pushed: false, occurrences: 1 });
  });

  it('honours .signusignore paths and fingerprints from the work tree', async () => {
    const repo = repoWithRemote();
    const [k1, k2] = [fakeKey(), fakeKey()];
    mkdirSync(join(repo.dir, 'fixtures'));
    repo.commit('init', {
      'fixtures/a.txt': `${k1}\n`,
      'b.txt': `${k2}\n`,
      '.signusignore': `fixtures/**\n${sha256(k2)}\n`,
    });
    const run = await history(repo, '--history');
    expect(run.code).toBe(0);
    expect(run.json.findings).toEqual([]);
  });
});
