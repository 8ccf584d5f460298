import { existsSync } from 'node:fs';
import { displayName } from '../safe-text.js';

export class GitError extends Error {
  override readonly name = 'GitError';
}

/** Runs git and returns stdout as bytes; rejects with git's own message on failure. */
export async function git(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  // Loaded on first use: child_process costs ~8 ms to load, which commands that never run git should not pay.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) =>
      // spawn says ENOENT both when git is missing and when the folder to run it in is.
      reject(
        new GitError(
          e.code === 'ENOENT' && !existsSync(cwd)
            ? `no such folder: ${displayName(cwd)}`
            : `cannot run git: ${e.message}`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else
        reject(new GitError(`git ${args[0]} failed: ${Buffer.concat(err).toString('utf8').trim() || `exit ${code}`}`));
    });
  });
}

export async function gitText(args: string[], cwd: string): Promise<string> {
  return (await git(args, cwd)).toString('utf8').trim();
}

export async function tryGitText(args: string[], cwd: string): Promise<string | undefined> {
  try {
    return await gitText(args, cwd);
  } catch {
    return undefined;
  }
}
