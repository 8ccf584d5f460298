import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from './cli-run.js';
import { cleanupTempDirs, fakeKey, tempDir } from './scan-helpers.js';
import { repoWithRemote, type HistoryJson } from './history-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

const CI_VARS = ['GITHUB_ACTIONS', 'GITLAB_CI', 'TF_BUILD'];

/** A project with history on origin: main has an old key; the last two commits add one key each. */
function project() {
  const repo = repoWithRemote();
  const [oldKey, newKey, prKey] = [fakeKey(), fakeKey(), fakeKey()];
  repo.commit('init', { 'old.txt': `${oldKey}\n` });
  const before = repo.commit('two', { 'two.txt': '2\n' });
  const after = repo.commit('three', { 'new.txt': `${newKey}\n` });
  repo.git('push', '-q', '--no-verify', 'origin', 'main');
  repo.git('checkout', '-q', '-b', 'feature');
  const prHead = repo.commit('pr work', { 'pr.txt': `${prKey}\n` });
  repo.git('push', '-q', '--no-verify', 'origin', 'feature');
  return { repo, before, after, prHead };
}

async function ci(cwd: string, env: Record<string, string>, vars: Record<string, string>) {
  const run = await runCli(['scan', '--ci', '--format', 'json'], {
    cwd,
    env: { ...env, ...Object.fromEntries(CI_VARS.map((v) => [v, undefined])), ...vars } as Record<string, string>,
  });
  let json: HistoryJson | undefined;
  try {
    json = JSON.parse(run.stdout) as HistoryJson;
  } catch {
    json = undefined;
  }
  return { ...run, json };
}

function payload(body: object): string {
  const file = join(tempDir(), 'event.json');
  writeFileSync(file, JSON.stringify(body));
  return file;
}

describe('signus scan --ci', { timeout: 90_000 }, () => {
  it('GitHub Actions push: scans before..after and prints the exact range and count', async () => {
    const { repo, before, after } = project();
    const run = await ci(repo.dir, repo.env, {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_SHA: after,
      GITHUB_EVENT_PATH: payload({ before, after, repository: { default_branch: 'main' } }),
    });
    expect(run.code).toBe(1);
    expect(run.json!.summary.scope).toBe(
      `GitHub Actions push: range ${before.slice(0, 10)}..${after.slice(0, 10)} (1 commit)`,
    );
    expect(run.json!.findings.map((f) => f.introduced.path)).toEqual(['new.txt']);
    const text = await runCli(['scan', '--ci'], {
      cwd: repo.dir,
      env: {
        ...repo.env,
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_SHA: after,
        GITHUB_EVENT_PATH: payload({ before, after }),
      },
    });
    expect(text.stdout).toContain(
      `Scanned GitHub Actions push: range ${before.slice(0, 10)}..${after.slice(0, 10)} (1 commit): 1 commit`,
    );
  });

  it('GitHub Actions pull request in a shallow single-branch clone: fetches the missing base and says so', async () => {
    const { repo, after, prHead } = project();
    const clone = join(tempDir(), 'ci-clone');
    repo.git('clone', '-q', '--depth', '1', '--single-branch', '--branch', 'feature', `file://${repo.bare}`, clone);
    const run = await ci(clone, repo.env, {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_SHA: prHead,
      GITHUB_BASE_REF: 'main',
      GITHUB_EVENT_PATH: payload({
        number: 7,
        pull_request: { number: 7, base: { sha: after }, head: { sha: prHead } },
      }),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.json!.summary.scope).toBe(
      `GitHub Actions pull request #7: range ${after.slice(0, 10)}..${prHead.slice(0, 10)} (1 commit)`,
    );
    expect(run.json!.summary.notes).toContain(`fetched the base ${after} from origin (it was not in this clone)`);
    expect(run.json!.findings.map((f) => f.introduced.path)).toEqual(['pr.txt']);
  });

  it('GitLab CI merge request and new-branch push; Azure Pipelines pull request', async () => {
    const { repo, after, prHead } = project();
    const mr = await ci(repo.dir, repo.env, {
      GITLAB_CI: 'true',
      CI_COMMIT_SHA: prHead,
      CI_MERGE_REQUEST_IID: '3',
      CI_MERGE_REQUEST_DIFF_BASE_SHA: after,
    });
    expect(mr.json!.summary.scope).toBe(
      `GitLab CI merge request !3: range ${after.slice(0, 10)}..${prHead.slice(0, 10)} (1 commit)`,
    );
    expect(mr.json!.findings.map((f) => f.introduced.path)).toEqual(['pr.txt']);
    const newBranch = await ci(repo.dir, repo.env, {
      GITLAB_CI: 'true',
      CI_COMMIT_SHA: prHead,
      CI_COMMIT_BEFORE_SHA: '0'.repeat(40),
      CI_COMMIT_BRANCH: 'feature',
      CI_DEFAULT_BRANCH: 'main',
    });
    expect(newBranch.json!.summary.scope).toBe(
      `GitLab CI push of a new branch: range ${after.slice(0, 10)}..${prHead.slice(0, 10)} (1 commit)`,
    );
    const azure = await ci(repo.dir, repo.env, {
      TF_BUILD: 'True',
      BUILD_SOURCEVERSION: prHead,
      SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/main',
      SYSTEM_PULLREQUEST_PULLREQUESTID: '42',
    });
    expect(azure.json!.summary.scope).toBe(
      `Azure Pipelines pull request 42: range ${after.slice(0, 10)}..${prHead.slice(0, 10)} (1 commit)`,
    );
    const build = await ci(repo.dir, repo.env, { TF_BUILD: 'True', BUILD_SOURCEVERSION: after });
    expect(build.json!.summary.scope).toBe(`Azure Pipelines build: all history of ${after.slice(0, 10)} (3 commits)`);
    expect(build.json!.summary.notes[0]).toContain('gives no pushed range');
    expect(build.json!.findings).toHaveLength(2);
  });

  it('outside CI, or with a base that cannot be had, it is an error that says why (exit 2)', async () => {
    const { repo, prHead } = project();
    const none = await ci(repo.dir, repo.env, {});
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no CI environment found');
    const gone = await ci(repo.dir, repo.env, {
      GITLAB_CI: 'true',
      CI_COMMIT_SHA: prHead,
      CI_MERGE_REQUEST_DIFF_BASE_SHA: 'f'.repeat(40),
    });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('fetching it from origin failed');
  });
});
