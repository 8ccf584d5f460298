/**
 * git as a stream: history is too big to hold as one buffer (and its readers should start before git ends).
 * Each reader gets chunks as they arrive; a failing git rejects with its own message.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError } from '../git.js';

export interface GitStream {
  /** Writes to git's standard input; `end()` closes it. */
  write(text: string): void;
  end(): void;
  /** Resolves when git has exited 0 and every chunk was handed over. */
  done: Promise<void>;
}

/**
 * Environment for history commands: never prompt, never fetch missing objects of a partial clone behind
 * our back (git ≥ 2.44 honours GIT_NO_LAZY_FETCH; older ones are kept from it by asking only for objects
 * the clone has), never run a user's pager.
 */
export function historyGitEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_NO_LAZY_FETCH: '1', GIT_PAGER: 'cat', LC_ALL: 'C' };
}

export async function streamGit(
  args: string[],
  cwd: string,
  onData: (chunk: Buffer) => void,
  env: NodeJS.ProcessEnv = historyGitEnv(),
): Promise<GitStream> {
  const { spawn } = await import('node:child_process');
  const child: ChildProcessWithoutNullStreams = spawn('git', args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const err: Buffer[] = [];
  let failure: Error | undefined;
  child.stdout.on('data', (b: Buffer) => {
    if (failure) return;
    try {
      onData(b);
    } catch (error) {
      // A parser error: stop git rather than read the rest of a history nobody will use.
      failure = error as Error;
      child.kill();
    }
  });
  child.stderr.on('data', (b: Buffer) => err.push(b));
  // git may exit before reading all we send (an error); that EPIPE is reported through its exit status.
  child.stdin.on('error', () => undefined);
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (e) => reject(new GitError(`cannot run git: ${e.message}`)));
    child.on('close', (code) => {
      if (failure) reject(failure);
      else if (code === 0) resolve();
      else
        reject(
          new GitError(`git ${args[0]} failed: ${Buffer.concat(err).toString('utf8').trim() || `exit ${code ?? '?'}`}`),
        );
    });
  });
  return { write: (text) => void child.stdin.write(text), end: () => child.stdin.end(), done };
}
