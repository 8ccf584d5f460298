/**
 * The text a finding was found in, read again: the working-tree file, the staged blob, or a blob of a
 * commit. Verification needs it to take the key back out (findings carry none) and to look for an
 * Account ID written next to the key.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from './git.js';

export type FindingSource =
  { kind: 'worktree'; root: string } | { kind: 'index'; top: string } | { kind: 'commit'; top: string; commit: string };

/** A commit's message, as `git log --format=%B` gives it (what a history scan scanned). */
export async function readCommitMessage(top: string, commit: string): Promise<string | undefined> {
  try {
    return (await git(['show', '-s', '--no-color', '--format=%B', commit, '--'], top)).toString('utf8');
  } catch {
    return undefined;
  }
}

/** `path` is relative to the root (`/`-separated); undefined when the text cannot be read any more. */
export async function readFindingSource(source: FindingSource, path: string): Promise<string | undefined> {
  try {
    switch (source.kind) {
      case 'worktree':
        return await readFile(join(source.root, path), 'utf8');
      case 'index':
        return (await git(['cat-file', 'blob', `:${path}`], source.top)).toString('utf8');
      case 'commit':
        return (await git(['cat-file', 'blob', `${source.commit}:${path}`], source.top)).toString('utf8');
    }
  } catch {
    return undefined;
  }
}
