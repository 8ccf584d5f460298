/**
 * The pre-push half of `signus doctor`: a canary commit pushed through the real `git push`, so the real
 * pre-push hook runs, to a throw-away bare repository in a temporary folder. The canary commit is a root
 * commit holding only the canary file (built with plumbing, so no commit hook runs and the push sends one
 * commit, not the project's history). Nothing is left behind: no ref, remote, config entry, worktree or
 * temporary folder; at most the three unreachable canary objects, for git's garbage collection.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskSecret } from '../mask.js';
import { git, gitText, tryGitText } from './git.js';

export interface CanaryOutcome {
  /** git refused the canary (commit or push). */
  blocked: boolean;
  /** ... and the hook's output names the canary (masked): the leak guard did it. */
  blockedBySignus: boolean;
  exitCode: number | null;
  /** git's and the hooks' output, canary redacted. */
  output: string;
  /** No ref, reflog, remote, config entry, worktree or temporary folder left behind. */
  cleanedUp: boolean;
  cleanupProblem?: string;
}

export const CANARY_FILE = 'signus-doctor-canary.txt';
const CANARY_BRANCH = 'refs/heads/signus-doctor-canary';

/** The environment git and the hooks run in: the user's, with node_modules/.bin first (as Husky does). */
export function hookEnv(top: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const bin = join(top, 'node_modules', '.bin');
  const out: NodeJS.ProcessEnv = {
    ...env,
    PATH: `${bin}:${env.PATH ?? ''}`,
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'signus doctor',
    GIT_AUTHOR_EMAIL: 'doctor@signus.invalid',
    GIT_COMMITTER_NAME: 'signus doctor',
    GIT_COMMITTER_EMAIL: 'doctor@signus.invalid',
  };
  delete out.GIT_INDEX_FILE;
  delete out.GIT_DIR;
  delete out.GIT_WORK_TREE;
  return out;
}

/** git with its exit code and combined output (hooks write to both streams). */
export async function gitWithOutput(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolvePromise) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    child.on('error', (e) => resolvePromise({ code: null, output: `cannot run git: ${e.message}` }));
    child.on('close', (code) => resolvePromise({ code, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** What git did with the canary: blocked, and by the leak guard only when its output names the canary (masked). */
export function canaryOutcome(key: string, code: number | null, output: string, blocked: boolean): CanaryOutcome {
  return {
    blocked,
    blockedBySignus: blocked && output.includes(maskSecret(key)),
    exitCode: code,
    output,
    cleanedUp: false,
  };
}

export function canaryNotTried(output: string): CanaryOutcome {
  return { blocked: false, blockedBySignus: false, exitCode: null, output, cleanedUp: false };
}

/** What must be the same after the check: refs, remotes, the repository's own config, worktrees. */
async function footprint(top: string): Promise<string> {
  const [refs, config, worktrees] = await Promise.all([
    gitText(['for-each-ref', '--format=%(refname) %(objectname)'], top),
    tryGitText(['config', '--local', '--list'], top),
    gitText(['worktree', 'list', '--porcelain'], top),
  ]);
  return `${refs}\n--\n${config ?? ''}\n--\n${worktrees}`;
}

export async function pushCanary(top: string, key: string, env: NodeJS.ProcessEnv): Promise<CanaryOutcome> {
  const before = await footprint(top);
  const parent = mkdtempSync(join(tmpdir(), 'signus-doctor-'));
  const remote = join(parent, 'canary-remote.git');
  const runEnv = hookEnv(top, env);
  let outcome: CanaryOutcome;
  try {
    // No templates: a template's hooks would run in the throw-away remote.
    await git(['init', '-q', '--bare', '--template=', remote], parent, runEnv);
    const file = join(parent, CANARY_FILE);
    writeFileSync(file, `# Written by "signus doctor"; never pushed.\nSIGNUS_API_KEY=${key}\n`);
    const blob = (await git(['hash-object', '-w', '--no-filters', '--', file], top, runEnv)).toString().trim();
    // A throw-away index: the repository's own index is never touched.
    const indexEnv = { ...runEnv, GIT_INDEX_FILE: join(parent, 'index') };
    await git(['update-index', '--add', '--cacheinfo', `100644,${blob},${CANARY_FILE}`], top, indexEnv);
    const tree = (await git(['write-tree'], top, indexEnv)).toString().trim();
    const commit = (await git(['commit-tree', tree, '-m', 'signus doctor canary (never kept)'], top, runEnv))
      .toString()
      .trim();
    // To a path, not a remote: no remote-tracking ref is written. Only the canary ref, no tags.
    const run = await gitWithOutput(
      ['push', '--no-recurse-submodules', '--no-follow-tags', remote, `${commit}:${CANARY_BRANCH}`],
      top,
      runEnv,
    );
    const output = run.output.split(key).join(maskSecret(key)).split(parent).join('<temporary folder>');
    const arrived = (await gitText(['for-each-ref'], remote)) !== '';
    outcome = canaryOutcome(key, run.code, output, run.code !== 0 && !arrived);
  } catch (error) {
    outcome = canaryNotTried(`could not set up the throw-away remote: ${(error as Error).message}`);
  }
  rmSync(parent, { recursive: true, force: true });
  const problems: string[] = [];
  if ((await footprint(top)) !== before) problems.push('the refs, remotes or config changed during the check');
  outcome.cleanedUp = problems.length === 0;
  if (problems.length) outcome.cleanupProblem = problems.join('; ');
  return outcome;
}
