/**
 * Our line in a hook file the team shares (a Husky hook, a tracked core.hooksPath folder): portable, so it
 * names no machine path, and marked, so uninstall can take exactly it out again.
 */
import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { SHARED_HOOK_LINE } from './hook-managers.js';

export const SHARED_MARKER =
  '# signus-leak-guard-shared: blocks commits that add a Signus API key ("signus hook uninstall" removes these two lines)';
const MARKER_START = '# signus-leak-guard-shared';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function hasSharedLine(path: string): boolean {
  return read(path)?.includes(MARKER_START) ?? false;
}

function writeKeepingMode(path: string, text: string, fallbackMode: number): void {
  let mode = fallbackMode;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    // new file
  }
  const tmp = `${path}.signus-tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/** Puts our two lines first (after a `#!` line), so a later `exit 0` in the user's hook cannot skip them. */
export function addSharedLine(path: string): 'added' | 'present' {
  const text = read(path);
  if (text?.includes(MARKER_START)) return 'present';
  const block = `${SHARED_MARKER}\n${SHARED_HOOK_LINE}\n`;
  if (text === undefined) {
    writeKeepingMode(path, `#!/bin/sh\n${block}`, 0o755);
    return 'added';
  }
  let next = `${block}${text}`;
  if (text.startsWith('#!')) {
    const eol = text.indexOf('\n');
    next = eol < 0 ? `${text}\n${block}` : `${text.slice(0, eol + 1)}${block}${text.slice(eol + 1)}`;
  }
  writeKeepingMode(path, next, 0o755);
  return 'added';
}

/** Takes our lines out; a file that held nothing else (we created it) goes too. */
export function removeSharedLine(path: string): boolean {
  const text = read(path);
  if (text === undefined || !text.includes(MARKER_START)) return false;
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(MARKER_START));
  lines.splice(at, lines[at + 1] === SHARED_HOOK_LINE ? 2 : 1);
  const rest = lines.join('\n');
  if (rest.trim() === '' || rest.trim() === '#!/bin/sh') rmSync(path);
  else writeKeepingMode(path, rest, 0o755);
  return true;
}
