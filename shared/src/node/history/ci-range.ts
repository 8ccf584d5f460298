/**
 * `signus scan --ci`: which commits a CI run is about, from the variables GitHub Actions, GitLab CI and
 * Azure Pipelines set. A push is scanned from the commit before it; a pull or merge request from its base;
 * a new branch from the default branch. A base the (often shallow) CI clone lacks is fetched, and said.
 */
import { readFileSync } from 'node:fs';
import { git, tryGitText } from '../git.js';

export interface CiRange {
  provider: 'GitHub Actions' | 'GitLab CI' | 'Azure Pipelines';
  /** What the run is: "push", "pull request #12", … */
  event: string;
  /** Exclusive base (a sha or a ref), or null: all history of head. */
  base: string | null;
  head: string;
  /** Where a missing base can be fetched from: a ref name on origin, or the base sha itself. */
  fetch?: string;
  notes: string[];
}

export class CiRangeError extends Error {
  override readonly name = 'CiRangeError';
}

const ZERO = /^0+$/;

function payload(path: string | undefined): Record<string, unknown> {
  if (!path) throw new CiRangeError('GITHUB_EVENT_PATH is not set, so the pushed range is unknown.');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new CiRangeError(`cannot read the event payload ${path} (${(error as Error).message}).`);
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};

/** The range the environment describes; throws CiRangeError when it describes none. */
export function ciRangeFromEnv(env: NodeJS.ProcessEnv): CiRange {
  if (env.GITHUB_ACTIONS === 'true') {
    const event = env.GITHUB_EVENT_NAME ?? '';
    const head = env.GITHUB_SHA ?? 'HEAD';
    if (event === 'pull_request' || event === 'pull_request_target') {
      const pr = obj(payload(env.GITHUB_EVENT_PATH).pull_request);
      const base = str(obj(pr.base).sha);
      const prHead = str(obj(pr.head).sha) ?? head;
      if (base)
        return {
          provider: 'GitHub Actions',
          event: `pull request #${String(pr.number ?? '?')}`,
          base,
          head: prHead,
          fetch: base,
          notes: [],
        };
      if (env.GITHUB_BASE_REF)
        return {
          provider: 'GitHub Actions',
          event: 'pull request',
          base: `origin/${env.GITHUB_BASE_REF}`,
          head: prHead,
          fetch: env.GITHUB_BASE_REF,
          notes: [],
        };
      throw new CiRangeError('the pull_request payload has no base sha and GITHUB_BASE_REF is not set.');
    }
    if (event === 'push') {
      const p = payload(env.GITHUB_EVENT_PATH);
      const before = str(p.before);
      const after = str(p.after) ?? head;
      if (before && !ZERO.test(before))
        return { provider: 'GitHub Actions', event: 'push', base: before, head: after, fetch: before, notes: [] };
      const main = str(obj(p.repository).default_branch);
      if (main)
        return {
          provider: 'GitHub Actions',
          event: 'push of a new branch',
          base: `origin/${main}`,
          head: after,
          fetch: main,
          notes: [`a new branch: scanned what it adds to ${main}`],
        };
      return {
        provider: 'GitHub Actions',
        event: 'push of a new branch',
        base: null,
        head: after,
        notes: ['a new branch with no default branch named: scanned all its history'],
      };
    }
    return {
      provider: 'GitHub Actions',
      event: event || 'run',
      base: null,
      head,
      notes: [`the ${event || 'unknown'} event has no pushed range: scanned all history of ${head.slice(0, 10)}`],
    };
  }
  if (env.GITLAB_CI === 'true') {
    const head = env.CI_COMMIT_SHA ?? 'HEAD';
    const mrBase = str(env.CI_MERGE_REQUEST_DIFF_BASE_SHA);
    if (mrBase)
      return {
        provider: 'GitLab CI',
        event: `merge request !${env.CI_MERGE_REQUEST_IID ?? '?'}`,
        base: mrBase,
        head,
        fetch: mrBase,
        notes: [],
      };
    const before = str(env.CI_COMMIT_BEFORE_SHA);
    if (before && !ZERO.test(before))
      return { provider: 'GitLab CI', event: 'push', base: before, head, fetch: before, notes: [] };
    const main = str(env.CI_DEFAULT_BRANCH);
    if (main && main !== env.CI_COMMIT_BRANCH)
      return {
        provider: 'GitLab CI',
        event: 'push of a new branch',
        base: `origin/${main}`,
        head,
        fetch: main,
        notes: [`a new branch: scanned what it adds to ${main}`],
      };
    return {
      provider: 'GitLab CI',
      event: 'pipeline',
      base: null,
      head,
      notes: [`no pushed range in this pipeline: scanned all history of ${head.slice(0, 10)}`],
    };
  }
  if (env.TF_BUILD === 'True' || env.TF_BUILD === 'true') {
    const head = env.BUILD_SOURCEVERSION ?? 'HEAD';
    const target = str(env.SYSTEM_PULLREQUEST_TARGETBRANCH);
    if (target) {
      const branch = target.replace(/^refs\/heads\//, '');
      return {
        provider: 'Azure Pipelines',
        event: `pull request ${env.SYSTEM_PULLREQUEST_PULLREQUESTID ?? ''}`.trim(),
        base: `origin/${branch}`,
        head,
        fetch: branch,
        notes: [],
      };
    }
    return {
      provider: 'Azure Pipelines',
      event: 'build',
      base: null,
      head,
      notes: [`Azure Pipelines gives no pushed range for a build: scanned all history of ${head.slice(0, 10)}`],
    };
  }
  throw new CiRangeError(
    'no CI environment found (GITHUB_ACTIONS, GITLAB_CI or TF_BUILD). Outside CI use --range A..B or --history.',
  );
}

const exists = async (cwd: string, rev: string) =>
  (await tryGitText(['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`], cwd)) !== undefined;

/** Makes sure base and head are in the clone, fetching the base from origin once if it is not. */
export async function ensureCiRange(cwd: string, range: CiRange): Promise<CiRange> {
  if (!(await exists(cwd, range.head))) throw new CiRangeError(`the head ${range.head} is not in this clone.`);
  if (range.base === null || (await exists(cwd, range.base))) return range;
  if (!range.fetch) throw new CiRangeError(`the base ${range.base} is not in this clone and cannot be fetched.`);
  const ref = range.fetch;
  const target = range.base.startsWith('origin/') ? [`+refs/heads/${ref}:refs/remotes/${range.base}`] : [ref];
  try {
    await git(['fetch', '--no-tags', '--quiet', 'origin', ...target], cwd);
  } catch (error) {
    throw new CiRangeError(
      `the base ${range.base} is not in this clone, and fetching it from origin failed: ${(error as Error).message}`,
    );
  }
  if (!(await exists(cwd, range.base)))
    throw new CiRangeError(`fetched origin ${ref}, but ${range.base} is still missing.`);
  return {
    ...range,
    notes: [...range.notes, `fetched the base ${range.base.slice(0, 40)} from origin (it was not in this clone)`],
  };
}
