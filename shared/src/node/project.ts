import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseIgnoreFile, type IgnoreRules } from '../scan/index.js';

export const IGNORE_FILE_NAME = '.signusignore';

/**
 * The nearest directory at or above `from` holding `.git` (a work tree's top); else `from` itself, or
 * the directory that holds it when `from` is a file (`signus scan FILE` outside any repository).
 */
export function findProjectRoot(from: string): string {
  const start = statSync(from, { throwIfNoEntry: false })?.isDirectory() === false ? dirname(from) : resolve(from);
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}

/** `.signusignore` at the project root, if there is one. Throws IgnoreFileError on a bad line. */
export function loadIgnoreFile(root: string): IgnoreRules | undefined {
  const file = join(root, IGNORE_FILE_NAME);
  if (!existsSync(file)) return undefined;
  return parseIgnoreFile(readFileSync(file, 'utf8'), file);
}
