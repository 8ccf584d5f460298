/** Keys in annotated tag messages: in `scan --history` and in what the pre-push hook lets through. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt } from './cli-run.js';
import { cleanupTempDirs, fakeKey } from './scan-helpers.js';
import { repoWithRemote, type HistoryJson, type RepoWithRemote } from './history-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

type Finding = HistoryJson['findings'][number];

async function history(repo: RepoWithRemote, ...args: string[]) {
  const run = await repo.signus('scan', '--history', '--format', 'json', ...args);
  const json = JSON.parse(run.stdout) as HistoryJson & { summary: { tagMessages: number } };
  return { ...run, ...json };
}

const onRemote = (repo: RepoWithRemote, ref: string) =>
  repo.tryGit('--git-dir', repo.bare, 'rev-parse', '--verify', '-q', ref).output.trim();

describe('annotated tag messages', { timeout: 90_000 }, () => {
  it('scan --history reads every annotated tag message, a tag of a tag too, and tells the key its story', async () => {
    const repo = repoWithRemote();
    const [onlyInTag, nestedKey, both] = [fakeKey(), fakeKey(), fakeKey()];
    const c1 = repo.commit('init', { 'a.txt': 'a\n' });
    repo.git('tag', '-a', '-m', `release notes\n\ntoken: ${onlyInTag}\n`, 'v1');
    repo.git('tag', '-a', '-m', 'light', 'v1.0-inner');
    // A tag of a tag: the inner tag's message holds the key, only the outer one has a ref.
    repo.git('tag', '-a', '-m', `inner ${nestedKey}`, 'inner-tag', 'v1.0-inner');
    repo.git('tag', '-a', '-m', 'outer', 'outer', 'inner-tag');
    repo.git('tag', '-d', 'inner-tag', 'v1.0-inner');
    repo.commit('config', { 'cfg.ts': `const k = "${both}";\n` });
    repo.git('tag', '-a', '-m', `ships ${both}`, 'v2');
    repo.git('tag', 'lightweight'); // no message: nothing to read

    const run = await history(repo);
    expect(run.code).toBe(1);
    const of = (key: string) =>
      run.findings.find((f) => f.introduced.snippet.includes(key.slice(-4))) as Finding & {
        tags: string[];
        introduced: { tag?: { name: string; ref: string } };
      };
    expect(run.findings).toHaveLength(3);
    expect(of(onlyInTag)).toMatchObject({
      introduced: { commit: c1, path: null, line: 3, column: 8, tag: { name: 'v1', ref: 'refs/tags/v1' } },
      refs: ['refs/tags/v1'],
      tags: ['refs/tags/v1'],
      commits: [],
      pushed: false,
    });
    expect(of(nestedKey).introduced.tag).toMatchObject({ name: 'inner-tag', ref: 'refs/tags/outer' });
    // In a file and in a tag message: the file's story, the tag listed, two occurrences.
    expect(of(both)).toMatchObject({ introduced: { path: 'cfg.ts' }, tags: ['refs/tags/v2'], occurrences: 2 });
    expect(run.summary.tagMessages).toBe(5); // v1, v2, outer, inner-tag and the tag inner-tag points at

    const text = await repo.signus('scan', '--history');
    expect(text.stdout).toContain('message of tag v1:3:8');
    expect(text.stdout).toContain('pushed     unknown: only in tag messages');
    expect(text.stdout).toMatch(/Scanned all refs and stashes: 2 commits and their messages, 5 annotated tag messages/);
    for (const key of [onlyInTag, nestedKey, both]) expect(text.stdout + text.stderr).not.toContain(key.slice(3));

    // --branch and --range walk commits only.
    const branch = await history(repo, '--branch', 'main');
    expect(branch.findings.map((f) => f.introduced.path)).toEqual(['cfg.ts']);
  });

  it('the pre-push hook blocks a new annotated tag whose message holds a key, on a commit the remote has', async () => {
    const repo = repoWithRemote();
    repo.commit('init', { 'README.md': '# r\n' });
    repo.git('push', '-q', 'origin', 'main');
    expect((await repo.signus('hook', 'install', '--pre-push')).code).toBe(0);
    const key = fakeKey();
    repo.git('tag', '-a', '-m', `v1\n\ndeploy with ${key}\n`, 'v1');
    const push = repo.tryGit('push', 'origin', 'v1');
    expect(push.code).not.toBe(0);
    expect(push.output).toContain('message of tag v1:3:13');
    expect(push.output).toContain(
      'refs/tags/v1 → origin refs/tags/v1 (new on the remote): 0 new commits and the annotated tag’s message',
    );
    expect(push.output).toContain('The key has NOT left this machine yet.');
    expect(push.output).not.toContain(key.slice(3));
    expect(onRemote(repo, 'refs/tags/v1')).toBe('');

    // A clean annotated tag on the same commit passes, and says what it read.
    repo.git('tag', '-a', '-m', 'clean release', 'v1-clean');
    const clean = repo.tryGit('push', 'origin', 'v1-clean');
    expect(clean.code).toBe(0);
    expect(clean.output).toMatch(
      /No Signus keys found in history\. Scanned the push to origin \(0 new commits and 1 annotated tag\): 0 commits and their messages, 1 annotated tag message/,
    );
    // A lightweight tag on a pushed commit: nothing new, nothing to read.
    repo.git('tag', 'light');
    const light = repo.tryGit('push', 'origin', 'light');
    expect(light.code).toBe(0);
    expect(light.output).toContain('nothing new to push to origin');
  });
});
