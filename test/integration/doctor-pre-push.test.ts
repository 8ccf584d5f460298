/**
 * `signus doctor` with a pre-push hook: a canary commit pushed through the real hook to a throw-away bare
 * remote, in a healthy, a broken (not executable, core.hooksPath elsewhere) and a Husky repository.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from './cli-run.js';
import { committed, footprint, huskyRepo, signusOnPath } from './hook-helpers.js';
import { cleanupTempDirs, makeRepo, tempDir, type Repo } from './scan-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

interface Canary {
  blocked: boolean;
  blockedBySignus: boolean;
  exitCode: number | null;
  output: string;
  cleanedUp: boolean;
}
interface Report {
  protected: boolean;
  prePushExpected: boolean;
  checks: { id: string; ok: boolean; detail: string; fix?: string }[];
  canary: Canary;
  pushCanary?: Canary;
}

/** doctor with its own TMPDIR, so the temporary folders it makes (and must remove) can be counted. */
async function doctor(repo: Repo, ...args: string[]) {
  const tmp = tempDir('signus-doctor-tmp-');
  const before = footprint(repo, tmp);
  const run = await runCli(['doctor', ...args], { cwd: repo.dir, env: { ...repo.env, TMPDIR: tmp } });
  // Nothing is left behind: no ref, remote, config entry, worktree, temporary folder.
  expect(footprint(repo, tmp)).toEqual(before);
  return run;
}

async function doctorJson(repo: Repo, ...args: string[]) {
  const run = await doctor(repo, '--json', ...args);
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

const check = (report: Report, id: string) => report.checks.find((c) => c.id === id);

describe('signus doctor and the pre-push hook', { timeout: 90_000 }, () => {
  it('healthy: both canaries are blocked by the leak guard, nothing is left behind, exit 0', async () => {
    const repo = committed(makeRepo());
    expect((await repo.signus('hook', 'install', '--pre-push')).code).toBe(0);
    const run = await doctor(repo);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('✓ it is the signus pre-push hook');
    expect(run.stdout).toContain('✓ a canary push to a throw-away bare remote was blocked by the leak guard');
    expect(run.stdout).toContain('The key has NOT left this machine yet.');
    expect(run.stdout).toContain('Protected: a commit or a push that adds a Signus API key is blocked');
    expect(run.stdout).not.toMatch(/sk_CANARY_[A-Za-z0-9]{8}/);
    const { code, report } = await doctorJson(repo);
    expect(code).toBe(0);
    expect(report.prePushExpected).toBe(true);
    expect(report.pushCanary).toMatchObject({ blocked: true, blockedBySignus: true, cleanedUp: true });
  });

  it('no pre-push hook: not checked unless asked; --pre-push asks, and then it is not protected', async () => {
    const repo = committed(makeRepo());
    expect((await repo.signus('hook', 'install')).code).toBe(0);
    const plain = await doctorJson(repo);
    expect(plain.code).toBe(0);
    expect(plain.report.prePushExpected).toBe(false);
    expect(plain.report.pushCanary).toBeUndefined();
    const asked = await doctorJson(repo, '--pre-push');
    expect(asked.code).toBe(1);
    expect(check(asked.report, 'pre-push-present')).toMatchObject({
      ok: false,
      fix: 'run "signus hook install --pre-push" (it installs into the directory git reads)',
    });
    // The canary went through to the throw-away remote (which is gone): that is what "not protected" means.
    expect(asked.report.pushCanary).toMatchObject({ blocked: false, exitCode: 0, cleanedUp: true });
  });

  it('broken: a pre-push hook that is not executable is skipped by git; the canary push goes through, exit 1', async () => {
    const repo = committed(makeRepo());
    await repo.signus('hook', 'install', '--pre-push');
    chmodSync(join(repo.dir, '.git', 'hooks', 'pre-push'), 0o644);
    const { code, report } = await doctorJson(repo);
    expect(code).toBe(1);
    expect(check(report, 'pre-push-executable')).toMatchObject({ ok: false });
    expect(check(report, 'pre-push-executable')!.fix).toContain('chmod +x');
    expect(report.canary.blockedBySignus).toBe(true);
    expect(report.pushCanary).toMatchObject({ blocked: false, blockedBySignus: false, exitCode: 0 });
  });

  it('broken: core.hooksPath points elsewhere, so the pre-push hook in .git/hooks is never reached, exit 1', async () => {
    const repo = committed(makeRepo());
    await repo.signus('hook', 'install', '--pre-push');
    repo.git('config', 'core.hooksPath', '.githooks');
    const { code, report } = await doctorJson(repo);
    expect(code).toBe(1);
    expect(report.prePushExpected).toBe(true);
    expect(check(report, 'pre-push-present')!.detail).toContain('the one in .git/hooks is never run');
    expect(report.pushCanary).toMatchObject({ blocked: false, exitCode: 0 });
  });

  describe('a Husky 9 repository', () => {
    it('with the pre-push lines in .husky/pre-push (hook install --pre-push --shared): protected, exit 0', async () => {
      const repo = huskyRepo(`signus scan --staged || exit $?\n`);
      signusOnPath(repo.dir);
      expect((await repo.signus('hook', 'install', '--pre-push', '--shared')).code).toBe(0);
      const { code, report } = await doctorJson(repo);
      expect(code, JSON.stringify(report, null, 2)).toBe(0);
      expect(check(report, 'pre-push-calls-signus')).toMatchObject({ ok: true });
      expect(report.pushCanary).toMatchObject({ blocked: true, blockedBySignus: true, cleanedUp: true });
    });

    it('without them: --pre-push is not protected, exit 1, and the fix names the --shared install', async () => {
      const repo = huskyRepo(`signus scan --staged || exit $?\n`);
      signusOnPath(repo.dir);
      const { code, report } = await doctorJson(repo, '--pre-push');
      expect(code).toBe(1);
      expect(report.canary.blockedBySignus).toBe(true);
      expect(check(report, 'pre-push-calls-signus')).toMatchObject({
        ok: false,
        fix: 'run "signus hook install --pre-push --shared" (it adds the pre-push lines to .husky/pre-push)',
      });
      expect(report.pushCanary).toMatchObject({ blocked: false, exitCode: 0 });
    });
  });
});
