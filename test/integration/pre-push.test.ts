import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from './cli-run.js';
import { cleanupTempDirs, fakeKey } from './scan-helpers.js';
import { repoWithRemote, type RepoWithRemote } from './history-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

async function guarded(): Promise<RepoWithRemote> {
  const repo = repoWithRemote();
  repo.commit('init', { 'README.md': '# demo\n' });
  repo.git('push', '-q', 'origin', 'main');
  const install = await repo.signus('hook', 'install', '--pre-push');
  expect(install.code).toBe(0);
  expect(install.stdout).toContain('Installed the signus pre-push hook');
  return repo;
}

const onRemote = (repo: RepoWithRemote, ref: string) =>
  repo.tryGit('--git-dir', repo.bare, 'rev-parse', '--verify', '-q', ref).output.trim();

describe('signus pre-push hook', { timeout: 90_000 }, () => {
  it('blocks a new branch whose commit adds a key: names it masked, says it has not left, gives the remedy', async () => {
    const repo = await guarded();
    const key = fakeKey();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('add client', { 'src/client.ts': `export const k = "${key}";\n` });
    const push = repo.tryGit('push', 'origin', 'feature');
    expect(push.code).not.toBe(0);
    expect(push.output).toContain('src/client.ts:1:19');
    expect(push.output).toContain('sk_••••••••');
    expect(push.output).toContain('The key has NOT left this machine yet.');
    expect(push.output).toContain('git commit --amend');
    expect(push.output).toContain('git push --no-verify');
    expect(push.output).toContain('refs/heads/feature → origin refs/heads/feature (new on the remote): 1 new commit');
    expect(push.output).not.toContain(key.slice(3));
    expect(onRemote(repo, 'refs/heads/feature')).toBe('');
    // The documented bypass works.
    expect(repo.tryGit('push', '-q', '--no-verify', 'origin', 'feature').code).toBe(0);
    expect(onRemote(repo, 'refs/heads/feature')).toBe(repo.head());
  });

  it('blocks a key in a commit message; passes clean commits', async () => {
    const repo = await guarded();
    repo.commit('clean', { 'a.txt': 'a\n' });
    const clean = repo.tryGit('push', 'origin', 'main');
    expect(clean.code).toBe(0);
    expect(clean.output).toContain('No Signus keys found in history');
    const key = fakeKey();
    repo.commit(`debug: tried ${key}`, { 'b.txt': 'b\n' });
    const blocked = repo.tryGit('push', 'origin', 'main');
    expect(blocked.code).not.toBe(0);
    expect(blocked.output).toContain('commit message');
    expect(blocked.output).not.toContain(key.slice(3));
  });

  it('scans only what the remote lacks: an existing commit under a new name and a branch deletion pass', async () => {
    const repo = await guarded();
    const key = fakeKey();
    // A key already on the remote (pushed past the hook): it must not block later pushes of other commits.
    repo.commit('old leak', { 'old.txt': `${key}\n` });
    expect(repo.tryGit('push', '-q', '--no-verify', 'origin', 'main').code).toBe(0);
    const copy = repo.tryGit('push', 'origin', 'main:refs/heads/copy');
    expect(copy.code).toBe(0);
    expect(copy.output).toContain('nothing new to push to origin');
    expect(copy.output).toContain('0 new commits');
    repo.commit('next', { 'n.txt': 'n\n' });
    const next = repo.tryGit('push', 'origin', 'main');
    expect(next.code).toBe(0);
    expect(next.output).toContain('1 new commit');
    const del = repo.tryGit('push', 'origin', '--delete', 'copy');
    expect(del.code).toBe(0);
    expect(del.output).toContain('deleted on origin (nothing to scan)');
    expect(onRemote(repo, 'refs/heads/copy')).toBe('');
  });

  it('covers tags (annotated too), force pushes and several refs in one push', async () => {
    const repo = await guarded();
    // An annotated tag on a new commit with a key.
    repo.git('checkout', '-q', '-b', 'rel');
    const key = fakeKey();
    repo.commit('release', { 'rel.json': `{"k":"${key}"}\n` });
    repo.git('tag', '-a', '-m', 'v1', 'v1');
    const tag = repo.tryGit('push', 'origin', 'v1');
    expect(tag.code).not.toBe(0);
    expect(tag.output).toContain('refs/tags/v1 → origin refs/tags/v1 (new on the remote): 1 new commit');
    expect(onRemote(repo, 'refs/tags/v1')).toBe('');
    // A tag on a commit the remote has: nothing new.
    repo.git('tag', '-a', '-m', 'v0', 'v0', 'main');
    expect(repo.tryGit('push', 'origin', 'v0').code).toBe(0);

    // A force push that rewrites main with a key; then a clean rewrite passes.
    repo.git('checkout', '-q', 'main');
    repo.commit('two', { 'two.txt': '2\n' });
    expect(repo.tryGit('push', '-q', 'origin', 'main').code).toBe(0);
    repo.write('two.txt', `${fakeKey()}\n`);
    repo.git('commit', '-q', '--amend', '-am', 'two, amended', '--no-verify');
    const force = repo.tryGit('push', '--force', 'origin', 'main');
    expect(force.code).not.toBe(0);
    expect(force.output).toMatch(
      /refs\/heads\/main → origin refs\/heads\/main \([0-9a-f]{10}\.\.[0-9a-f]{10}\): 1 new commit/,
    );
    repo.write('two.txt', '2, fixed\n');
    repo.git('commit', '-q', '--amend', '--no-verify', '-am', 'two, fixed');
    expect(repo.tryGit('push', '--force', 'origin', 'main').code).toBe(0);

    // Several refs at once: the clean one alone would pass, the other blocks the whole push.
    repo.git('checkout', '-q', '-b', 'ok');
    repo.commit('ok', { 'ok.txt': 'ok\n' });
    repo.git('checkout', '-q', '-b', 'bad');
    repo.commit('bad', { 'bad.txt': `${fakeKey()}\n` });
    const both = repo.tryGit('push', 'origin', 'ok', 'bad');
    expect(both.code).not.toBe(0);
    expect(both.output).toContain('refs/heads/ok → origin refs/heads/ok');
    expect(both.output).toContain('refs/heads/bad → origin refs/heads/bad');
    expect(onRemote(repo, 'refs/heads/ok')).toBe('');
  });

  it('blocks and says why when the range cannot be computed', async () => {
    const repo = await guarded();
    const garbage = await runCli(['scan', '--pre-push', 'origin', repo.bare], {
      cwd: repo.dir,
      env: repo.env,
      input: 'refs/heads/main not-a-sha refs/heads/main 0000\n',
    });
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain('push blocked: cannot tell which commits this push sends');
    const missing = await runCli(['scan', '--pre-push', 'origin', repo.bare], {
      cwd: repo.dir,
      env: repo.env,
      input: `refs/heads/main ${'1'.repeat(40)} refs/heads/main ${'0'.repeat(40)}\n`,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('is not a commit in this repository');
  });

  it('chains an existing pre-push hook (it gets the same refs); status and uninstall cover both hooks', async () => {
    const repo = repoWithRemote();
    repo.commit('init', { 'README.md': '# demo\n' });
    const hooks = join(repo.dir, '.git', 'hooks');
    const seen = join(repo.dir, '.git', 'seen-refs');
    writeFileSync(join(hooks, 'pre-push'), `#!/bin/sh\ncat > '${seen}'\n`);
    chmodSync(join(hooks, 'pre-push'), 0o755);
    const install = await repo.signus('hook', 'install', '--pre-push');
    expect(install.stdout).toContain('The pre-push hook that was there runs first');
    expect(repo.tryGit('push', 'origin', 'main').code).toBe(0);
    expect(readFileSync(seen, 'utf8')).toMatch(/^refs\/heads\/main [0-9a-f]{40} refs\/heads\/main 0{40}\n$/);
    const status = JSON.parse((await repo.signus('hook', 'status', '--json')).stdout);
    expect(status.installed).toBe(true);
    expect(status.prePush).toMatchObject({
      installed: true,
      runnable: true,
      chained: join(hooks, 'pre-push.signus-chained'),
    });
    const text = await repo.signus('hook', 'status');
    expect(text.stdout).toContain('The signus pre-push hook is installed');
    const un = await repo.signus('hook', 'uninstall');
    expect(un.stdout).toContain('Removed the signus pre-push hook and put back the previous pre-push hook');
    expect(readFileSync(join(hooks, 'pre-push'), 'utf8')).toContain(`cat > '${seen}'`);
    expect(JSON.parse((await repo.signus('hook', 'status', '--json')).stdout).prePush.installed).toBe(false);
  });
});
