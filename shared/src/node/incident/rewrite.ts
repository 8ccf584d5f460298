/**
 * Rewrites files in place after copying each to a backup folder: the old key replaced by the new one
 * (working-tree, API-client and VS Code files) or scrubbed to a marker (shell history, transcripts).
 * The backups hold the old key: the folder is 0700, its files 0600, and the report says to delete it.
 */
import {
  chmodSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { replaceKey, scrubKey } from '../../incident/replace.js';

export interface RewriteResult {
  path: string;
  /** Copies changed in the file. */
  changed: number;
  /** Copies left in a form that cannot be rewritten safely (case changed, split). */
  remaining: number;
  backup?: string;
  error?: string;
}

export interface RewriteOptions {
  backupDir: string;
  /** How many backups the folder already has: numbers stay unique over several runs. */
  startAt?: number;
}

/** Replaces `oldKey` with `newKey` in each file. A file that changed since it was searched is rewritten as it is now. */
export function replaceInFiles(
  paths: readonly string[],
  oldKey: string,
  newKey: string,
  options: RewriteOptions,
): RewriteResult[] {
  return rewriteAll(paths, options, (text) => replaceKey(text, oldKey, newKey));
}

export function scrubFiles(paths: readonly string[], key: string, options: RewriteOptions): RewriteResult[] {
  return rewriteAll(paths, options, (text) => scrubKey(text, key));
}

function rewriteAll(
  paths: readonly string[],
  options: RewriteOptions,
  rewrite: (text: string) => { text: string; changed: number; remaining: number },
): RewriteResult[] {
  mkdirSync(options.backupDir, { recursive: true, mode: 0o700 });
  chmodSync(options.backupDir, 0o700);
  let n = options.startAt ?? 0;
  const index: { backup: string; original: string }[] = [];
  const results = paths.map((path): RewriteResult => {
    try {
      if (lstatSync(path).isSymbolicLink())
        return { path, changed: 0, remaining: 0, error: 'a symbolic link: edit its target' };
      const before = readFileSync(path, 'utf8');
      const after = rewrite(before);
      if (after.changed === 0) return { path, changed: 0, remaining: after.remaining };
      n++;
      const backup = join(options.backupDir, `${String(n).padStart(3, '0')}-${safeBase(path)}`);
      copyFileSync(path, backup);
      chmodSync(backup, 0o600);
      index.push({ backup, original: path });
      const mode = statSync(path).mode & 0o777;
      const tmp = join(dirname(path), `.${safeBase(path)}.signus-${process.pid}.tmp`);
      writeFileSync(tmp, after.text, { mode });
      renameSync(tmp, path);
      return { path, changed: after.changed, remaining: after.remaining, backup };
    } catch (error) {
      return {
        path,
        changed: 0,
        remaining: 0,
        error: (error as NodeJS.ErrnoException).code ?? (error as Error).message,
      };
    }
  });
  if (index.length > 0) {
    const file = join(options.backupDir, 'index.json');
    let previous: unknown[];
    try {
      previous = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
    } catch {
      previous = [];
    }
    writeFileSync(file, `${JSON.stringify([...previous, ...index], null, 2)}\n`, { mode: 0o600 });
  }
  return results;
}

/** A backup's name: the original's base name without anything key-shaped or odd in it. */
function safeBase(path: string): string {
  return basename(path)
    .replace(/sk_[A-Za-z0-9_-]+/g, 'sk_key')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 80);
}
