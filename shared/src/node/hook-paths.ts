import { statSync } from 'node:fs';
import { displayName } from '../safe-text.js';
import { GitError } from './git.js';

function kind(path: string): 'missing' | 'folder' | 'file' | 'other' {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? 'folder' : stat.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

/**
 * Refuses, with a message that names the path and what to do, a hooks path git cannot use: a hooks
 * "directory" that is a file (a core.hooksPath typo), or a hook that is a folder (git would skip it
 * and the commit would go through unguarded). Missing paths are fine: install creates them.
 */
export function assertUsableHookPaths(hooksDir: string, hookFiles: readonly string[]): void {
  const dir = kind(hooksDir);
  if (dir !== 'folder' && dir !== 'missing')
    throw new GitError(
      `the hooks directory ${displayName(hooksDir)} is not a folder; check core.hooksPath (git config core.hooksPath).`,
    );
  for (const file of hookFiles) {
    const what = kind(file);
    if (what === 'folder')
      throw new GitError(
        `${displayName(file)} is a folder, not a hook file, so git cannot run it. Move it away, then try again.`,
      );
    if (what === 'other')
      throw new GitError(`${displayName(file)} is not a regular file; move it away, then try again.`);
  }
}
