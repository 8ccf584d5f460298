// The hook installer against repositories that are not simply ours: Husky 9 (its real files), a team's tracked
// core.hooksPath, other hook managers, and paths with newlines and control characters.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, CLI, runCli } from './cli-run.js';
import { committed, huskyRepo as husky, signusOnPath } from './hook-helpers.js';
import { cleanupTempDirs, fakeKey, isolatedEnv, makeRepo, tempDir, type Repo } from './scan-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

const SHARED_LINE = 'signus scan --staged || exit $?';

/** Writes, stages and tries to commit; returns git's exit code and output. */
function tryCommit(repo: Repo, file: string, content: string) {
  repo.write(file, content);
  repo.git('add', file);
  return repo.tryGit('commit', '-m', `add ${file}`);
}

describe('a Husky 9 repository', { timeout: 30_000 }, () => {
  const USER_HOOK = 'echo user-hook-ran >> "$(git rev-parse --git-dir)/user-ran"\n[ -f STOP ] && exit 3\nexit 0\n';

  const huskyRepo = () => husky(USER_HOOK);

  it('is not taken over: install refuses, names the file and the exact line, and changes nothing', async () => {
    const repo = huskyRepo();
    const dispatcher = readFileSync(join(repo.dir, '.husky', '_', 'pre-commit'), 'utf8');
    const result = await repo.signus('hook', 'install');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('managed by Husky');
    expect(result.stderr).toContain(join(repo.dir, '.husky', 'pre-commit'));
    expect(result.stderr).toContain(SHARED_LINE);
    expect(readFileSync(join(repo.dir, '.husky', '_', 'pre-commit'), 'utf8')).toBe(dispatcher);
    expect(readFileSync(join(repo.dir, '.husky', 'pre-commit'), 'utf8')).toBe(USER_HOOK);
    expect(existsSync(join(repo.dir, '.husky', '_', 'pre-commit.signus-chained'))).toBe(false);
    // The user's hook still runs and still blocks.
    expect(tryCommit(repo, 'a.txt', 'a\n').code).toBe(0);
    expect(readFileSync(join(repo.dir, '.git', 'user-ran'), 'utf8')).toBe('user-hook-ran\n');
    expect(tryCommit(repo, 'STOP', '').code).not.toBe(0);
  });

  it('--shared adds the portable line to .husky/pre-commit: both hooks run and block; uninstall restores it', async () => {
    const repo = huskyRepo();
    signusOnPath(repo.dir);
    const install = await repo.signus('hook', 'install', '--shared');
    expect(install.code).toBe(0);
    expect(install.stdout).toContain('Added the signus line to the shared hook');
    const userHook = readFileSync(join(repo.dir, '.husky', 'pre-commit'), 'utf8');
    expect(userHook).toContain(SHARED_LINE);
    expect(userHook.endsWith(USER_HOOK)).toBe(true);
    expect(userHook).not.toContain(CLI);
    expect(userHook).not.toContain(process.execPath);
    expect(JSON.parse((await repo.signus('hook', 'status', '--json')).stdout)).toMatchObject({
      installed: true,
      mode: 'shared',
      manager: 'husky',
    });
    expect((await repo.signus('hook', 'install', '--shared')).stdout).toContain('nothing changed');

    expect(tryCommit(repo, 'a.txt', 'a\n').code).toBe(0);
    expect(readFileSync(join(repo.dir, '.git', 'user-ran'), 'utf8')).toBe('user-hook-ran\n');
    const leak = tryCommit(repo, 'k.ts', `export const k = '${fakeKey()}';\n`);
    expect(leak.code).not.toBe(0);
    expect(leak.output).toContain('k.ts:1:');
    repo.git('reset', '-q', 'k.ts');
    expect(tryCommit(repo, 'STOP', '').code).not.toBe(0);
    repo.git('reset', '-q', 'STOP');

    const uninstall = await repo.signus('hook', 'uninstall');
    expect(uninstall.stdout).toContain('Removed the signus line');
    expect(readFileSync(join(repo.dir, '.husky', 'pre-commit'), 'utf8')).toBe(USER_HOOK);
  });
});

describe('a core.hooksPath folder that git tracks', { timeout: 30_000 }, () => {
  const TEAM_HOOK = '#!/bin/sh\necho team-hook-ran >> "$(git rev-parse --git-dir)/team-ran"\n';

  function teamRepo(): Repo {
    const repo = committed(makeRepo());
    repo.write('.githooks/pre-commit', TEAM_HOOK);
    execFileSync('chmod', ['+x', join(repo.dir, '.githooks', 'pre-commit')]);
    repo.git('add', '.githooks');
    repo.git('commit', '-qm', 'team hooks');
    repo.git('config', 'core.hooksPath', '.githooks');
    return repo;
  }

  it('is never rewritten without --shared, and gets no machine path with it', async () => {
    const repo = teamRepo();
    const refused = await repo.signus('hook', 'install');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('tracked by git');
    expect(refused.stderr).toContain(SHARED_LINE);
    expect(refused.stderr).toContain('--shared');
    expect(readdirSync(join(repo.dir, '.githooks'))).toEqual(['pre-commit']);
    expect(readFileSync(join(repo.dir, '.githooks', 'pre-commit'), 'utf8')).toBe(TEAM_HOOK);

    signusOnPath(repo.dir);
    const env = { ...repo.env, PATH: `${join(repo.dir, 'node_modules', '.bin')}:${repo.env.PATH}` };
    expect((await runCli(['hook', 'install', '--shared'], { cwd: repo.dir, env })).code).toBe(0);
    const hook = readFileSync(join(repo.dir, '.githooks', 'pre-commit'), 'utf8');
    expect(hook.startsWith(`#!/bin/sh\n# signus-leak-guard-shared`)).toBe(true);
    expect(hook).toContain(SHARED_LINE);
    expect(hook).not.toContain(CLI);
    expect(hook).not.toContain(process.execPath);

    const commit = (file: string, content: string) => {
      writeFileSync(join(repo.dir, file), content);
      execFileSync('git', ['add', file], { cwd: repo.dir, env });
      try {
        execFileSync('git', ['commit', '-qm', file], { cwd: repo.dir, env, stdio: 'pipe' });
        return 0;
      } catch (error) {
        return (error as { status: number }).status;
      }
    };
    expect(commit('a.txt', 'a\n')).toBe(0);
    expect(readFileSync(join(repo.dir, '.git', 'team-ran'), 'utf8')).toBe('team-hook-ran\n');
    expect(commit('k.txt', `${fakeKey()}\n`)).not.toBe(0);

    expect((await repo.signus('hook', 'uninstall')).stdout).toContain('Removed the signus line');
    expect(readFileSync(join(repo.dir, '.githooks', 'pre-commit'), 'utf8')).toBe(TEAM_HOOK);
  });

  it('an untracked hooks folder inside the work tree still gets the full local hook', async () => {
    const repo = committed(makeRepo());
    repo.git('config', 'core.hooksPath', 'local-hooks');
    const install = await repo.signus('hook', 'install');
    expect(install.code).toBe(0);
    expect(readFileSync(join(repo.dir, 'local-hooks', 'pre-commit'), 'utf8')).toContain(CLI);
  });
});

describe('other hook managers', { timeout: 30_000 }, () => {
  const cases: [string, (repo: Repo) => void, RegExp][] = [
    [
      'lefthook',
      (r) => r.write('lefthook.yml', 'pre-commit:\n  commands: {}\n'),
      /lefthook\.yml[\s\S]*run: signus scan --staged/,
    ],
    [
      'the pre-commit framework',
      (r) => r.write('.pre-commit-config.yaml', 'repos: []\n'),
      /\.pre-commit-config\.yaml[\s\S]*entry: signus scan --staged/,
    ],
    [
      'simple-git-hooks',
      (r) => r.write('package.json', '{ "simple-git-hooks": { "pre-commit": "npx lint-staged" } }\n'),
      /"pre-commit": "signus scan --staged/,
    ],
    [
      'Husky 4',
      (r) => r.write('.git/hooks/pre-commit', '#!/bin/sh\n# husky\n. "$(dirname "$0")/husky.sh"\n'),
      /husky\.hooks/,
    ],
  ];
  for (const [name, setUp, instructions] of cases) {
    it(`refuses next to ${name} and says what to add to its configuration`, async () => {
      const repo = committed(makeRepo());
      setUp(repo);
      const before = existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))
        ? readFileSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), 'utf8')
        : undefined;
      const result = await repo.signus('hook', 'install');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(instructions);
      const after = existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))
        ? readFileSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), 'utf8')
        : undefined;
      expect(after).toBe(before);
    });
  }
});

describe('newlines and control characters in paths', { timeout: 30_000 }, () => {
  const ODD = ['new\nline', 'esc\u001b[31mred', 'cr\rhere'];

  for (const odd of ODD) {
    it(`a repository at ${JSON.stringify(odd)} gets its hook in the right place, and it blocks`, async () => {
      const parent = tempDir('signus-odd-repo-');
      const dir = join(parent, `repo ${odd}`);
      mkdirSync(dir);
      const env = isolatedEnv(tempDir('signus-home-'));
      const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: 'pipe' });
      git('init', '-q', '-b', 'main');
      const install = await runCli(['hook', 'install'], { cwd: dir, env });
      expect(install.code).toBe(0);
      // eslint-disable-next-line no-control-regex -- no raw control character may reach the terminal
      expect(install.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
      expect(existsSync(join(dir, '.git', 'hooks', 'pre-commit'))).toBe(true);
      expect(readdirSync(parent)).toEqual([`repo ${odd}`]);
      writeFileSync(join(dir, 'k.txt'), `${fakeKey()}\n`);
      git('add', 'k.txt');
      expect(() => git('commit', '-qm', 'leak')).toThrow();
      expect(JSON.parse((await runCli(['hook', 'status', '--json'], { cwd: dir, env })).stdout)).toMatchObject({
        installed: true,
        hookPath: join(dir, '.git', 'hooks', 'pre-commit'),
      });
    });

    it(`a node path with ${JSON.stringify(odd)} (a symlinked node) is refused clearly; nothing is written`, async () => {
      const repo = committed(makeRepo());
      const binDir = join(tempDir('signus-odd-node-'), `bin ${odd}`);
      mkdirSync(binDir);
      symlinkSync(process.execPath, join(binDir, 'node'));
      const result = await repo.signus('hook', 'install', '--node', join(binDir, 'node'));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('the node path');
      expect(result.stderr).toContain('control character');
      expect(result.stderr).not.toContain(odd);
      expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
    });

    it(`a CLI path with ${JSON.stringify(odd)} is refused clearly; nothing is written`, async () => {
      const repo = committed(makeRepo());
      const cliDir = join(tempDir('signus-odd-cli-'), `cli ${odd} $(touch pwned)`);
      mkdirSync(cliDir);
      const cli = join(cliDir, 'signus.mjs');
      copyFileSync(CLI, cli);
      const result = await runCli(['hook', 'install'], { cwd: repo.dir, env: repo.env, cli });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('the CLI path');
      expect(result.stderr).toContain('control character');
      expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
      expect(existsSync(join(repo.dir, 'pwned'))).toBe(false);
    });
  }
});
