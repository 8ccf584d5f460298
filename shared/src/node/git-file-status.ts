import { basename, dirname } from 'node:path';
import { tryGitText } from './git.js';

/** Whether a file is in a git work tree, matched by its ignore rules, and tracked (an ignored file can be). */
export interface GitFileStatus {
  inRepository: boolean;
  ignored: boolean;
  tracked: boolean;
}

/**
 * For a file that may legitimately hold a key (a `.env` file): it is safe only while git neither tracks it nor
 * would pick it up. `--no-index` asks the ignore rules even for a tracked file, which `git add` would still push.
 */
export async function gitFileStatus(path: string): Promise<GitFileStatus> {
  const cwd = dirname(path);
  const name = basename(path);
  if ((await tryGitText(['rev-parse', '--is-inside-work-tree'], cwd)) !== 'true') {
    return { inRepository: false, ignored: false, tracked: false };
  }
  const [ignored, tracked] = await Promise.all([
    tryGitText(['check-ignore', '-q', '--no-index', '--', name], cwd),
    tryGitText(['ls-files', '--error-unmatch', '--', name], cwd),
  ]);
  return { inRepository: true, ignored: ignored !== undefined, tracked: tracked !== undefined };
}
