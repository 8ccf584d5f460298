/**
 * Our lines in a hook file the team shares (a Husky hook, a tracked core.hooksPath folder): portable, so they
 * name no machine path, and marked, so uninstall can take exactly them out again.
 */
import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { sharedLines, type HookName } from './hook-managers.js';

const WHAT: Record<HookName, string> = { 'pre-commit': 'commits', 'pre-push': 'pushes' };

// The pre-commit marker is the one earlier versions wrote, so their lines are still found and removed.
const sharedMarker = (hook: HookName) =>
  `# signus-leak-guard-shared: blocks ${WHAT[hook]} that add a Signus API key ("signus hook uninstall" removes ` +
  `${hook === 'pre-commit' ? 'these two lines' : 'these lines'})`;
const MARKER_START = '# signus-leak-guard-shared';

/** The pre-push options a shared line may carry (fixed words). */
const OPTION_SETS: readonly (readonly string[])[] = [[], ['--verify']];

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

/** The options our shared pre-push line passes (`--verify`), read back from the file. */
export function sharedOptions(path: string): string[] {
  const text = read(path) ?? '';
  return OPTION_SETS.find((o) => o.length > 0 && text.includes(sharedLines('pre-push', o)[0]!))?.slice() ?? [];
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

/** Puts our lines first (after a `#!` line), so a later `exit 0` in the user's hook cannot skip them. */
export function addSharedLine(
  path: string,
  hook: HookName = 'pre-commit',
  options: readonly string[] = [],
): 'added' | 'present' {
  const text = read(path);
  if (text?.includes(MARKER_START)) return 'present';
  const block = `${[sharedMarker(hook), ...sharedLines(hook, options)].join('\n')}\n`;
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
export function removeSharedLine(path: string, hook: HookName = 'pre-commit'): boolean {
  const text = read(path);
  if (text === undefined || !text.includes(MARKER_START)) return false;
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(MARKER_START));
  const ours =
    OPTION_SETS.map((o) => sharedLines(hook, o)).find((block) => block.every((l, i) => lines[at + 1 + i] === l)) ?? [];
  lines.splice(at, 1 + ours.length);
  const rest = lines.join('\n');
  if (rest.trim() === '' || rest.trim() === '#!/bin/sh') rmSync(path);
  else writeKeepingMode(path, rest, 0o755);
  return true;
}
