// `signus hook install --pre-push` gets the pre-commit hook's protections: hooks a manager or the team owns
// are never taken over (each refusal also for the pre-push hook alone), --shared adds the portable pre-push
// lines and they block a real push, and a refusal writes nothing at all.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, CLI, runCli } from './cli-run.js';
import { addBareOrigin, committed, huskyRepo, signusOnPath } from './hook-helpers.js';
import { cleanupTempDirs, fakeKey, makeRepo, type Repo } from './scan-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

const PRE_PUSH_LINE = `signus_refs=$(cat); printf '%s\\n' "$signus_refs" | signus scan --pre-push "$@" || exit $?; exec <<SIGNUS_REFS`;
const USER_PRE_COMMIT = 'exit 0\n';
// The user's own pre-push hook reads git's ref lines after ours did (as git-lfs does).
const USER_PRE_PUSH = 'cat > "$(git rev-parse --git-dir)/user-pre-push-refs"\n';

/** Every file under the repository's hook places, with its content: a refusal must change none of them. */
function hookFiles(repo: Repo): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dir of ['.git/hooks', '.husky', '.husky/_', '.githooks']) {
    const abs = join(repo.dir, dir);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs, { withFileTypes: true }))
      if (name.isFile()) out[`${dir}/${name.name}`] = readFileSync(join(abs, name.name), 'utf8');
  }
  return out;
}

const withPath = (repo: Repo) => ({ ...repo.env, PATH: `${join(repo.dir, 'node_modules', '.bin')}:${repo.env.PATH}` });

function push(repo: Repo, ...args: string[]): { code: number; output: string } {
  try {
    const out = execFileSync('git', ['push', ...args], { cwd: repo.dir, env: withPath(repo), stdio: 'pipe' });
    return { code: 0, output: out.toString() };
  } catch (error) {
    const e = error as { status: number; stdout: Buffer; stderr: Buffer };
    return { code: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

function commitKey(repo: Repo, file: string): string {
  const key = fakeKey();
  repo.write(file, `export const k = '${key}';\n`);
  repo.git('add', file);
  repo.git('commit', '-qm', `add ${file}`, '--no-verify');
  return key;
}

describe('hook install --pre-push in a Husky 9 repository', { timeout: 60_000 }, () => {
  it('without --shared: refuses, names .husky/pre-commit and .husky/pre-push with their exact lines, writes nothing', async () => {
    const repo = huskyRepo(USER_PRE_COMMIT);
    const before = hookFiles(repo);
    const refused = await repo.signus('hook', 'install', '--pre-push');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('managed by Husky');
    expect(refused.stderr).toContain(join(repo.dir, '.husky', 'pre-commit'));
    expect(refused.stderr).toContain(join(repo.dir, '.husky', 'pre-push'));
    expect(refused.stderr).toContain('signus scan --staged || exit $?');
    expect(refused.stderr).toContain(PRE_PUSH_LINE);
    expect(refused.stderr).toContain('signus hook install --pre-push --shared');
    expect(hookFiles(repo)).toEqual(before);
    expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-push'))).toBe(false);
  });

  it('with --shared: adds the pre-push lines to .husky/pre-push; a push of a key is blocked, the user hook still gets the refs; uninstall restores it', async () => {
    const repo = huskyRepo(USER_PRE_COMMIT);
    repo.write('.husky/pre-push', USER_PRE_PUSH);
    repo.git('add', '.husky/pre-push');
    repo.git('commit', '-qm', 'user pre-push', '--no-verify');
    addBareOrigin(repo);
    signusOnPath(repo.dir);
    const install = await repo.signus('hook', 'install', '--pre-push', '--shared');
    expect(install.code).toBe(0);
    expect(install.stdout).toContain(
      `Added the signus pre-push lines to the shared hook ${join(repo.dir, '.husky', 'pre-push')}`,
    );
    const hook = readFileSync(join(repo.dir, '.husky', 'pre-push'), 'utf8');
    expect(hook).toContain(PRE_PUSH_LINE);
    expect(hook.endsWith(USER_PRE_PUSH)).toBe(true);
    expect(hook).not.toContain(CLI);
    expect(hook).not.toContain(process.execPath);
    const status = JSON.parse((await repo.signus('hook', 'status', '--json')).stdout);
    expect(status.prePush).toMatchObject({ hook: 'pre-push', installed: true, mode: 'shared', manager: 'husky' });
    expect((await repo.signus('hook', 'status')).stdout).toContain('The signus pre-push line is in the shared hook');
    expect((await repo.signus('hook', 'install', '--pre-push', '--shared')).stdout).toContain('nothing changed');

    const clean = push(repo, 'origin', 'main');
    expect(clean.code).toBe(0);
    expect(readFileSync(join(repo.dir, '.git', 'user-pre-push-refs'), 'utf8')).toMatch(
      /^refs\/heads\/main [0-9a-f]{40} refs\/heads\/main 0{40}\n$/,
    );
    const key = commitKey(repo, 'k.ts');
    const blocked = push(repo, 'origin', 'main');
    expect(blocked.code).not.toBe(0);
    expect(blocked.output).toContain('The key has NOT left this machine yet.');
    expect(blocked.output).not.toContain(key.slice(3));

    const uninstall = await repo.signus('hook', 'uninstall');
    expect(uninstall.stdout).toContain('Removed the signus pre-push lines from the shared hook');
    expect(readFileSync(join(repo.dir, '.husky', 'pre-push'), 'utf8')).toBe(USER_PRE_PUSH);
    expect(readFileSync(join(repo.dir, '.husky', 'pre-commit'), 'utf8')).toBe(USER_PRE_COMMIT);
  });

  it('with --shared and no .husky/pre-push yet: creates it, and uninstall removes it again', async () => {
    const repo = huskyRepo(USER_PRE_COMMIT);
    expect((await repo.signus('hook', 'install', '--pre-push', '--shared', '--verify')).code).toBe(0);
    const file = join(repo.dir, '.husky', 'pre-push');
    expect(readFileSync(file, 'utf8')).toContain('signus scan --pre-push "$@" --verify || exit $?');
    const status = JSON.parse((await repo.signus('hook', 'status', '--json')).stdout);
    expect(status.prePush.options).toEqual(['--verify']);
    await repo.signus('hook', 'uninstall');
    expect(existsSync(file)).toBe(false);
  });
});

describe('hook install --pre-push with a core.hooksPath folder that git tracks', { timeout: 60_000 }, () => {
  it('refuses with the pre-push lines and writes nothing; --shared adds them to the tracked pre-push hook, which blocks', async () => {
    const repo = committed(makeRepo());
    repo.write('.githooks/pre-commit', '#!/bin/sh\nexit 0\n');
    chmodSync(join(repo.dir, '.githooks', 'pre-commit'), 0o755);
    repo.git('add', '.githooks');
    repo.git('commit', '-qm', 'team hooks');
    repo.git('config', 'core.hooksPath', '.githooks');
    addBareOrigin(repo);
    const before = hookFiles(repo);
    const refused = await repo.signus('hook', 'install', '--pre-push');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('tracked by git');
    expect(refused.stderr).toContain(join(repo.dir, '.githooks', 'pre-push'));
    expect(refused.stderr).toContain(PRE_PUSH_LINE);
    expect(hookFiles(repo)).toEqual(before);

    signusOnPath(repo.dir);
    const env = withPath(repo);
    const install = await runCli(['hook', 'install', '--pre-push', '--shared'], { cwd: repo.dir, env });
    expect(install.code).toBe(0);
    const hook = readFileSync(join(repo.dir, '.githooks', 'pre-push'), 'utf8');
    expect(hook.startsWith('#!/bin/sh\n# signus-leak-guard-shared: blocks pushes')).toBe(true);
    expect(hook).not.toContain(CLI);
    commitKey(repo, 'k.txt');
    expect(push(repo, 'origin', 'main').code).not.toBe(0);
    expect((await repo.signus('hook', 'uninstall')).stdout).toContain('Removed the signus pre-push lines');
    expect(existsSync(join(repo.dir, '.githooks', 'pre-push'))).toBe(false);
  });
});

describe('other managers that own only the pre-push hook', { timeout: 60_000 }, () => {
  // No pre-commit hook at all: the refusal comes from the pre-push hook alone, and the pre-commit hook
  // (which could have been installed) is not written either.
  const cases: [string, string, RegExp][] = [
    [
      'lefthook',
      '#!/bin/sh\n# lefthook\nexec lefthook run "pre-push" "$@"\n',
      /pre-push:\n {2}commands:[\s\S]*signus scan --pre-push \{1\} \{2\}\n\s+use_stdin: true/,
    ],
    [
      'the pre-commit framework',
      '#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\n',
      /entry: signus scan --unpushed[\s\S]*stages: \[pre-push\]/,
    ],
    [
      'simple-git-hooks',
      '#!/bin/sh\n[ "$SKIP_SIMPLE_GIT_HOOKS" = "1" ] && exit 0\nnpm test\n',
      /"pre-push": "signus scan --pre-push/,
    ],
    ['Husky 4', '#!/bin/sh\n# husky\n. "$(dirname "$0")/husky.sh"\n', /"pre-push" entry of "husky\.hooks"/],
  ];
  for (const [name, hookText, instructions] of cases) {
    it(`refuses next to ${name} and says what to add for pre-push; nothing is written`, async () => {
      const repo = committed(makeRepo());
      repo.write('.git/hooks/pre-push', hookText);
      chmodSync(join(repo.dir, '.git', 'hooks', 'pre-push'), 0o755);
      const before = hookFiles(repo);
      const result = await repo.signus('hook', 'install', '--pre-push');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(instructions);
      expect(result.stderr).toContain('pre-push');
      expect(hookFiles(repo)).toEqual(before);
      expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
      // Without --pre-push the pre-commit hook, which nobody owns, installs as before.
      expect((await repo.signus('hook', 'install')).code).toBe(0);
      expect(readFileSync(join(repo.dir, '.git', 'hooks', 'pre-push'), 'utf8')).toBe(hookText);
    });
  }

  it('a local pre-push hook is chained like the pre-commit one; a pre-push hook left by nobody we know is not a refusal', async () => {
    const repo = committed(makeRepo());
    repo.write('.git/hooks/pre-push', '#!/bin/sh\nexit 0\n');
    chmodSync(join(repo.dir, '.git', 'hooks', 'pre-push'), 0o755);
    const install = await repo.signus('hook', 'install', '--pre-push');
    expect(install.code).toBe(0);
    expect(install.stdout).toContain('The pre-push hook that was there runs first');
  });
});
