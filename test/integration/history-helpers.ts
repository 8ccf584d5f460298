import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { HistoryFinding } from '@signus/shared/node';
import { makeRepo, tempDir, type Repo } from './scan-helpers.js';

export interface RepoWithRemote extends Repo {
  bare: string;
  /** Writes, stages and commits; returns the new commit's id. */
  commit(message: string, files?: Record<string, string>): string;
  head(): string;
}

/** A repository whose `origin` is a bare repository on disk: pushes and fetches are real, no network. */
export function repoWithRemote(): RepoWithRemote {
  const repo = makeRepo();
  const bare = join(tempDir('signus-bare-'), 'origin.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare], { env: repo.env });
  repo.git('remote', 'add', 'origin', bare);
  const head = () => repo.git('rev-parse', 'HEAD').trim();
  return {
    ...repo,
    bare,
    head,
    commit: (message, files = {}) => {
      for (const [path, content] of Object.entries(files)) repo.write(path, content);
      repo.git('add', '-A');
      // --no-verify: these tests build histories with keys in them, past any pre-commit hook.
      repo.git('commit', '-q', '--allow-empty', '--no-verify', '-m', message);
      return head();
    },
  };
}

/** `signus scan --history --format json`, as the CLI prints it. */
export interface HistoryJson {
  findings: HistoryFinding[];
  summary: {
    scope: string;
    commits: number;
    messages: number;
    blobs: number;
    bytesRead: number;
    refsCovered: string[];
    notes: string[];
    empty: boolean;
    shallowBoundary: string[];
  };
}
