/** `signus doctor` in real repositories: healthy, broken (not executable, hooksPath elsewhere), Husky. */
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, CLI, runCli } from './cli-run.js';
import { footprint } from './hook-helpers.js';
import { cleanupTempDirs, makeRepo, type Repo } from './scan-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

function repoWithCommit(): Repo {
  const repo = makeRepo();
  repo.write('README.md', '# demo\n');
  repo.git('add', '.');
  repo.git('commit', '-qm', 'init');
  return repo;
}

interface Report {
  protected: boolean;
  manager: string | null;
  checks: { id: string; ok: boolean; detail: string; fix?: string }[];
  canary: { blocked: boolean; blockedBySignus: boolean; exitCode: number; output: string; cleanedUp: boolean };
}

async function doctor(repo: Repo, ...args: string[]) {
  const run = await repo.signus('doctor', ...args);
  return run;
}

async function doctorJson(repo: Repo): Promise<{ code: number | null; report: Report }> {
  const run = await doctor(repo, '--json');
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

const check = (report: Report, id: string) => report.checks.find((c) => c.id === id);

describe('signus doctor', { timeout: 60_000 }, () => {
  it('a healthy repository: the canary commit is blocked by the hook, nothing is left behind, exit 0', async () => {
    const repo = repoWithCommit();
    expect((await repo.signus('hook', 'install')).code).toBe(0);
    const before = footprint(repo);
    const run = await doctor(repo);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('✓ it is executable');
    expect(run.stdout).toContain('✓ it is the signus pre-commit hook');
    expect(run.stdout).toContain('a canary commit in a throw-away worktree was blocked by the leak guard');
    expect(run.stdout).toMatch(/│ signus-doctor-canary\.txt:2:16 {2}warning {2}signus-api-key {2}sk_•+\w{4}/);
    expect(run.stdout).toContain('Protected: a commit that adds a Signus API key is blocked in this repository.');
    expect(run.stdout).not.toMatch(/sk_CANARY_\w{20}/);
    expect(footprint(repo)).toEqual(before);
  });

  it('a hook that is not executable: git skips it, the canary goes through, exit 1 with the fix; nothing left behind', async () => {
    const repo = repoWithCommit();
    await repo.signus('hook', 'install');
    chmodSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), 0o644);
    const before = footprint(repo);
    const { code, report } = await doctorJson(repo);
    expect(code).toBe(1);
    expect(report.protected).toBe(false);
    expect(check(report, 'hook-executable')).toMatchObject({ ok: false, fix: expect.stringContaining('chmod +x') });
    expect(report.canary).toMatchObject({ blocked: false, exitCode: 0, cleanedUp: true });
    // The canary commit was made in the throw-away worktree only: no ref, no reflog entry, same HEAD.
    expect(footprint(repo)).toEqual(before);
  });

  it('core.hooksPath pointing elsewhere: the hook in .git/hooks is never reached, exit 1', async () => {
    const repo = repoWithCommit();
    await repo.signus('hook', 'install');
    mkdirSync(join(repo.dir, '.githooks'));
    repo.git('config', 'core.hooksPath', '.githooks');
    const { code, report } = await doctorJson(repo);
    expect(code).toBe(1);
    expect(check(report, 'hooks-dir')!.detail).toContain('core.hooksPath = .githooks');
    expect(check(report, 'hook-present')).toMatchObject({ ok: false });
    expect(check(report, 'hook-present')!.detail).toContain('the one in .git/hooks is never run');
    expect(report.canary.exitCode).toBe(0);
  });

  describe('a Husky repository (core.hooksPath = .husky/_, hooks not checked out)', () => {
    function huskyRepo(preCommit: string): Repo {
      const repo = repoWithCommit();
      // What husky 9 sets up: a generated .husky/_ (ignored by git) whose hooks run the user's .husky/<hook>.
      repo.write('.husky/_/.gitignore', '*\n');
      repo.write(
        '.husky/_/h',
        '#!/usr/bin/env sh\nn=$(basename "$0")\ns=$(dirname "$(dirname "$0")")/$n\n[ ! -f "$s" ] && exit 0\nexport PATH="node_modules/.bin:$PATH"\nsh -e "$s" "$@"\n',
      );
      repo.write('.husky/_/pre-commit', '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n');
      chmodSync(join(repo.dir, '.husky/_/h'), 0o755);
      chmodSync(join(repo.dir, '.husky/_/pre-commit'), 0o755);
      repo.write('.husky/pre-commit', preCommit);
      repo.git('add', '.husky/pre-commit');
      repo.git('commit', '-qm', 'husky');
      repo.git('config', 'core.hooksPath', '.husky/_');
      return repo;
    }

    it('with "signus scan --staged" in .husky/pre-commit: protected, exit 0', async () => {
      const repo = huskyRepo(`node ${JSON.stringify(CLI)} scan --staged\n`);
      const before = footprint(repo);
      const { code, report } = await doctorJson(repo);
      expect(code, JSON.stringify(report, null, 2)).toBe(0);
      expect(report.manager).toBe('husky');
      expect(check(report, 'hook-calls-signus')).toMatchObject({ ok: true, detail: 'it calls signus (through husky)' });
      expect(report.canary).toMatchObject({ blocked: true, blockedBySignus: true, cleanedUp: true });
      expect(footprint(repo)).toEqual(before);
    });

    it('without it: not protected, exit 1, and the fix names .husky/pre-commit', async () => {
      const repo = huskyRepo('echo lint ok\n');
      const { code, report } = await doctorJson(repo);
      expect(code).toBe(1);
      expect(check(report, 'hook-calls-signus')).toMatchObject({
        ok: false,
        fix: 'add "signus scan --staged" to .husky/pre-commit',
      });
      expect(report.canary.exitCode).toBe(0);
    });

    it('a hook that fails for another reason is not counted as protection', async () => {
      const repo = huskyRepo('echo "lint failed" >&2\nexit 1\n');
      const { code, report } = await doctorJson(repo);
      expect(code).toBe(1);
      expect(report.canary).toMatchObject({ blocked: true, blockedBySignus: false });
    });
  });

  describe('a shared hook that runs "signus" by name (the portable line in a tracked core.hooksPath folder)', () => {
    // PATH with git and node but no signus; the repository's node_modules/.bin is what a project would add.
    const bare = `${dirname(process.execPath)}:/usr/bin:/bin`;
    function sharedRepo(): Repo {
      const repo = repoWithCommit();
      repo.write('.githooks/.keep', '');
      repo.git('add', '.githooks');
      repo.git('commit', '-qm', 'hooks');
      repo.git('config', 'core.hooksPath', '.githooks');
      return repo;
    }
    const doctorWithPath = async (repo: Repo) => {
      const run = await runCli(['doctor', '--json'], { cwd: repo.dir, env: { ...repo.env, PATH: bare } });
      return { code: run.code, report: JSON.parse(run.stdout) as Report };
    };

    it('with no signus on PATH: the check says so and names the fix, and the canary is not blocked by the leak guard', async () => {
      const repo = sharedRepo();
      expect((await repo.signus('hook', 'install', '--shared')).code).toBe(0);
      const { code, report } = await doctorWithPath(repo);
      expect(code).toBe(1);
      expect(check(report, 'hook-calls-signus')).toMatchObject({ ok: true });
      expect(check(report, 'hook-cli-on-path')).toMatchObject({
        ok: false,
        fix: expect.stringContaining('npm install --save-dev @signus/cli'),
      });
      expect(report.canary).toMatchObject({ blocked: true, blockedBySignus: false });
    });

    it('with signus in node_modules/.bin: the check passes and the canary is blocked by the leak guard', async () => {
      const repo = sharedRepo();
      expect((await repo.signus('hook', 'install', '--shared')).code).toBe(0);
      repo.write(
        'node_modules/.bin/signus',
        `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`,
      );
      chmodSync(join(repo.dir, 'node_modules/.bin/signus'), 0o755);
      const { code, report } = await doctorWithPath(repo);
      expect(code, JSON.stringify(report, null, 2)).toBe(0);
      expect(check(report, 'hook-cli-on-path')).toMatchObject({ ok: true });
      expect(check(report, 'hook-cli-on-path')!.detail).toContain(join('node_modules', '.bin', 'signus'));
    });

    it("a hook with this machine's paths does not depend on PATH: no such check", async () => {
      const repo = repoWithCommit();
      await repo.signus('hook', 'install');
      const { report } = await doctorWithPath(repo);
      expect(check(report, 'hook-cli-on-path')).toBeUndefined();
    });
  });

  it('an empty repository: says a first commit is needed, exit 1', async () => {
    const repo = makeRepo();
    await repo.signus('hook', 'install');
    const run = await doctor(repo);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('The repository has no commit yet');
  });

  it('outside a repository: exit 2', async () => {
    const { runCli } = await import('./cli-run.js');
    const run = await runCli(['doctor', '--repo', '/']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not inside a git work tree');
  });
});
