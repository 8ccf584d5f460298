import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, CLI } from './cli-run.js';
import { cleanupTempDirs, fakeKey, makeRepo } from './scan-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

function repoWithCommit() {
  const repo = makeRepo();
  repo.write('README.md', '# demo\n');
  repo.git('add', '.');
  repo.git('commit', '-qm', 'init');
  return repo;
}

describe('signus hook', { timeout: 30_000 }, () => {
  it('installs a pre-commit hook that runs node on this CLI file directly (no npx), and reports it', async () => {
    const repo = repoWithCommit();
    const install = await repo.signus('hook', 'install');
    expect(install.code).toBe(0);
    const hookPath = join(repo.dir, '.git', 'hooks', 'pre-commit');
    const script = readFileSync(hookPath, 'utf8');
    // One exec for the one-git-run path, one for the fallback (hook-entry.test.ts), both the same.
    const execs = script
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('exec ') && l.includes(' scan '));
    expect(execs.map((l) => l.replaceAll("'", ''))).toEqual(
      Array(2).fill(`exec ${process.execPath} --min-semi-space-size=2 "$entry" scan --staged --diff-stdin`),
    );
    // The hook's own file beside the CLI, else the CLI (a copy without it: hook-entry.test.ts).
    expect(script.replaceAll("'", '')).toContain(
      `entry=${join(dirname(CLI), 'signus-hook.cjs')}\n[ -f "$entry" ] || entry=${CLI}\n`,
    );
    // git runs in the hook itself, piped into node, and a failing git is never taken as "nothing staged".
    // It sends only the files with a candidate line (-G), and says so in the marker.
    expect(script).toMatch(
      /\{ git diff --cached .* -G'[^']+' -- && printf '\\n#signus-diff-complete key-like-files\\n'; \} \|/,
    );
    expect(script).not.toMatch(/\bnpx\b/);
    expect(statSync(hookPath).mode & 0o111).not.toBe(0);
    const status = JSON.parse((await repo.signus('hook', 'status', '--json')).stdout);
    expect(status).toMatchObject({
      installed: true,
      foreignHook: false,
      chained: null,
      cli: CLI,
      node: process.execPath,
      runnable: true,
    });
  });

  it('blocks a commit that adds a key (masked output, how to proceed); --no-verify bypasses; a clean commit passes', async () => {
    const repo = repoWithCommit();
    await repo.signus('hook', 'install');
    const key = fakeKey();
    repo.write('src/client.ts', `const client = new Signus({ apiKey: "${key}" });\n`);
    repo.git('add', '.');
    const blocked = repo.tryGit('commit', '-m', 'add client');
    expect(blocked.code).not.toBe(0);
    expect(blocked.output).toContain('src/client.ts:1:38');
    expect(blocked.output).toContain('sk_••••••••');
    expect(blocked.output).toContain('git commit --no-verify');
    expect(blocked.output).not.toContain(key);
    expect(repo.git('rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(repo.tryGit('commit', '-qm', 'forced', '--no-verify').code).toBe(0);
    repo.write('ok.ts', 'export const apiKey = process.env.SIGNUS_API_KEY;\n');
    repo.git('add', '.');
    expect(repo.tryGit('commit', '-qm', 'clean').code).toBe(0);
  });

  it('passes a commit with no key-like line without starting node; a key-like placeholder gets the full scan and passes', async () => {
    const repo = repoWithCommit();
    await repo.signus('hook', 'install');
    repo.write('plain.ts', 'const task_id = 1;\nexport { task_id };\n');
    repo.git('add', '.');
    const fast = repo.tryGit('commit', '-m', 'plain');
    expect(fast.code).toBe(0);
    expect(fast.output).not.toContain('No Signus keys found');
    repo.write('docs.md', 'Authorization: Bearer sk_your_signus_api_key_here\n');
    repo.git('add', '.');
    const full = repo.tryGit('commit', '-m', 'docs');
    expect(full.code).toBe(0);
    expect(full.output).toContain('No Signus keys found');
    // Only the file with the key-like line reaches node; the summary says what git cleared.
    repo.write('other.ts', 'export const one = 1;\n');
    repo.write('docs.md', 'Authorization: Bearer sk_your_signus_api_key_here\nagain: sk_your_signus_api_key_here\n');
    repo.git('add', '.');
    const two = repo.tryGit('commit', '-m', 'more');
    expect(two.code).toBe(0);
    expect(two.output).toContain('Scanned 1 added line in 1 staged file');
    expect(two.output).toContain('git found no key-like line in any other staged file');
  });

  it('checks what `git commit -a` commits', async () => {
    const repo = repoWithCommit();
    await repo.signus('hook', 'install');
    repo.write('README.md', `# demo\nkey: ${fakeKey()}\n`);
    const blocked = repo.tryGit('commit', '-a', '-m', 'oops');
    expect(blocked.code).not.toBe(0);
    expect(blocked.output).toContain('README.md:2:6');
  });

  it('partial staging: a key only in the working tree does not block', async () => {
    const repo = repoWithCommit();
    await repo.signus('hook', 'install');
    repo.write('app.py', 'print(1)\n');
    repo.git('add', 'app.py');
    repo.write('app.py', `print(1)\nKEY = "${fakeKey()}"\n`);
    expect(repo.tryGit('commit', '-qm', 'staged part only').code).toBe(0);
  });

  it('honours core.hooksPath', async () => {
    const repo = repoWithCommit();
    repo.git('config', 'core.hooksPath', '.githooks');
    await repo.signus('hook', 'install', '--repo', repo.dir);
    expect(existsSync(join(repo.dir, '.githooks', 'pre-commit'))).toBe(true);
    expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
    repo.write('k.txt', `${fakeKey()}\n`);
    repo.git('add', 'k.txt');
    expect(repo.tryGit('commit', '-qm', 'x').code).not.toBe(0);
  });

  it('chains an existing hook (runs it first, its failure blocks too) and uninstall restores it', async () => {
    const repo = repoWithCommit();
    const hookPath = join(repo.dir, '.git', 'hooks', 'pre-commit');
    const original = '#!/bin/sh\necho ran >> "$(git rev-parse --git-dir)/chained-ran"\n[ -f STOP ] && exit 3\nexit 0\n';
    writeFileSync(hookPath, original, { mode: 0o755 });
    const install = await repo.signus('hook', 'install');
    expect(install.stdout).toContain('runs first');
    const status = JSON.parse((await repo.signus('hook', 'status', '--json')).stdout);
    expect(status.chained).toMatch(/pre-commit\.signus-chained$/);

    repo.write('a.txt', 'a\n');
    repo.git('add', 'a.txt');
    expect(repo.tryGit('commit', '-qm', 'a').code).toBe(0);
    expect(readFileSync(join(repo.dir, '.git', 'chained-ran'), 'utf8')).toBe('ran\n');

    repo.write('STOP', '');
    repo.write('b.txt', 'b\n');
    repo.git('add', 'b.txt');
    expect(repo.tryGit('commit', '-qm', 'b').code).not.toBe(0);

    expect((await repo.signus('hook', 'uninstall')).stdout).toContain('put back');
    expect(readFileSync(hookPath, 'utf8')).toBe(original);
    expect(existsSync(`${hookPath}.signus-chained`)).toBe(false);
  });

  it('is idempotent: installing twice leaves one hook that does not chain itself; uninstall removes it', async () => {
    const repo = repoWithCommit();
    await repo.signus('hook', 'install');
    const again = await repo.signus('hook', 'install');
    expect(again.stdout).toContain('Updated');
    const status = JSON.parse((await repo.signus('hook', 'status', '--json')).stdout);
    expect(status.chained).toBeNull();
    expect((await repo.signus('hook', 'uninstall')).stdout).toContain('Removed the signus hook');
    expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect((await repo.signus('hook', 'status')).stdout).toContain('not installed');
    expect((await repo.signus('hook', 'uninstall')).stdout).toContain('nothing changed');
  });

  it('--node sets the node the hook runs; a hook whose CLI is gone fails with a clear message', async () => {
    const repo = repoWithCommit();
    await repo.signus('hook', 'install', '--node', process.execPath);
    const hookPath = join(repo.dir, '.git', 'hooks', 'pre-commit');
    writeFileSync(hookPath, readFileSync(hookPath, 'utf8').replaceAll(CLI, '/nonexistent/signus.mjs'));
    repo.write('a.txt', 'a\n');
    repo.git('add', 'a.txt');
    const run = repo.tryGit('commit', '-qm', 'a');
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('CLI is gone');
    expect(JSON.parse((await repo.signus('hook', 'status', '--json')).stdout).runnable).toBe(false);
  });

  it('errors clearly outside a repository and on a bad action', async () => {
    const repo = makeRepo();
    const bad = await repo.signus('hook', 'frobnicate');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('install, uninstall or status');
    const outside = await repo.signus('hook', 'install', '--repo', '/');
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/not inside a git work tree/);
  });
});
