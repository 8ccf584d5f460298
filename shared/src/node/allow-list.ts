/**
 * What a project allows, in one list: every way a finding is silenced for every surface at once (the
 * editor, Scan Workspace, `signus scan`, the hook), each with where it is written so it can be removed.
 *   - a fingerprint line of `.signusignore` (the one a person adds with "Allow");
 *   - a path glob of `.signusignore` (a whole file or folder);
 *   - a `signus:allow` / `signus:allow-next-line` comment beside a key in a file;
 *   - an entry of the baseline (`.signus-baseline.json`).
 * Nothing here holds a key: comments are reported with the allowed key's mask and fingerprint only.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALLOW_MARKER,
  ALLOW_NEXT_LINE_MARKER,
  looksBinary,
  parseBaseline,
  scanText,
  serializeBaseline,
  type KnownKeySet,
} from '../scan/index.js';
import { tryGitText } from './git.js';
import { IGNORE_FILE_NAME } from './project.js';
import { BASELINE_FILE_NAME } from './scan-context.js';

export type AllowSource = 'signusignore' | 'signusignore-path' | 'comment' | 'baseline';

export interface AllowEntry {
  source: AllowSource;
  /** The project root the entry belongs to. */
  root: string;
  /** The file that holds the entry, relative to root, `/`-separated. */
  file: string;
  /** 1-based line of the entry in that file (for a baseline entry: 0). */
  line: number;
  /** The allowed fingerprint; undefined for a path glob. */
  fingerprint?: string;
  /** A path glob (signusignore-path), or the path a baseline entry or comment covers. */
  path?: string;
  /** The allowed key, masked, where the entry sits beside it (comments). */
  masked?: string;
  /** The stored key's name, when the fingerprint is one of the user's known keys. */
  knownKeyLabel?: string;
  /** The comment line above a .signusignore fingerprint (often where and why it was allowed). */
  note?: string;
}

const FINGERPRINT_LINE = /^(?:sha256:)?([0-9a-fA-F]{64})$/;

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The fingerprint and path-glob lines of `.signusignore` at root. */
export function signusignoreEntries(root: string, knownKeys?: KnownKeySet): AllowEntry[] {
  const text = readText(join(root, IGNORE_FILE_NAME));
  if (text === undefined) return [];
  const out: AllowEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fp = FINGERPRINT_LINE.exec(line)?.[1]?.toLowerCase();
    const previous = lines[i - 1]?.trim();
    const note = previous?.startsWith('#') ? previous.replace(/^#+\s*/, '') : undefined;
    const label = fp ? knownKeys?.labels.get(fp) : undefined;
    // "Allow" writes the masked key in the comment above: the list can show it instead of a bare hash.
    const masked = fp ? /\bsk_•+[A-Za-z0-9_-]{4}\b/.exec(note ?? '')?.[0] : undefined;
    out.push({
      source: fp ? 'signusignore' : 'signusignore-path',
      root,
      file: IGNORE_FILE_NAME,
      line: i + 1,
      ...(fp ? { fingerprint: fp } : { path: line }),
      ...(label !== undefined && { knownKeyLabel: label }),
      ...(masked && { masked }),
      ...(note && { note }),
    });
  });
  return out;
}

/** The baseline's entries (each silences one fingerprint in one path). */
export function baselineEntries(root: string, knownKeys?: KnownKeySet): AllowEntry[] {
  const text = readText(join(root, BASELINE_FILE_NAME));
  if (text === undefined) return [];
  try {
    return parseBaseline(text).findings.map((e) => {
      const label = knownKeys?.labels.get(e.fingerprint);
      return {
        source: 'baseline' as const,
        root,
        file: BASELINE_FILE_NAME,
        line: 0,
        fingerprint: e.fingerprint,
        path: e.path,
        ...(label !== undefined && { knownKeyLabel: label }),
      };
    });
  } catch {
    return [];
  }
}

/** Lines of `text` (0-based) that an allow comment covers: its own line, or the one after allow-next-line. */
function allowedLines(lines: readonly string[]): Set<number> {
  const covered = new Set<number>();
  lines.forEach((line, i) => {
    for (let at = line.indexOf(ALLOW_MARKER); at !== -1; at = line.indexOf(ALLOW_MARKER, at + 1)) {
      if (line.startsWith(ALLOW_NEXT_LINE_MARKER, at)) covered.add(i + 1);
      else covered.add(i);
    }
  });
  return covered;
}

/**
 * The keys that allow comments silence in one file's text: the findings the scanner would report with the
 * markers disarmed, on the lines the markers cover.
 */
export async function commentEntriesInText(
  root: string,
  file: string,
  text: string,
  knownKeys?: KnownKeySet,
): Promise<AllowEntry[]> {
  if (!text.includes(ALLOW_MARKER)) return [];
  const lines = text.split('\n');
  const covered = allowedLines(lines);
  // Same length, so every position the scanner reports is the original's.
  const disarmed = text.replaceAll(ALLOW_MARKER, 'signus_alloW');
  const found = await scanText(disarmed, { path: file, knownKeys });
  return found
    .filter((f) => covered.has(f.line - 1))
    .map((f) => ({
      source: 'comment' as const,
      root,
      file,
      // The line that holds the comment (the one above, for allow-next-line).
      line: lines[f.line - 1]?.includes(ALLOW_MARKER) ? f.line : f.line - 1,
      fingerprint: f.fingerprint,
      path: file,
      masked: f.masked,
      ...(f.knownKeyLabel !== undefined && { knownKeyLabel: f.knownKeyLabel }),
    }));
}

/** Allow comments in the files git lists (tracked, and untracked but not ignored) under root. */
export async function commentEntries(root: string, knownKeys?: KnownKeySet): Promise<AllowEntry[]> {
  const listed = await tryGitText(
    ['grep', '-l', '-I', '-z', '--untracked', '--fixed-strings', '-e', ALLOW_MARKER, '--', '.'],
    root,
  );
  if (!listed) return [];
  const out: AllowEntry[] = [];
  for (const file of listed.split('\0').filter(Boolean)) {
    const text = readText(join(root, file));
    if (text === undefined || looksBinary(text)) continue;
    out.push(...(await commentEntriesInText(root, file, text, knownKeys)));
  }
  return out;
}

/** Everything a project allows, .signusignore first. */
export async function listAllowed(root: string, knownKeys?: KnownKeySet): Promise<AllowEntry[]> {
  return [
    ...signusignoreEntries(root, knownKeys),
    ...(await commentEntries(root, knownKeys)),
    ...baselineEntries(root, knownKeys),
  ];
}

/**
 * Adds a fingerprint to `.signusignore` (with a comment saying what and where, no key), unless it is there.
 * Returns false when it already was.
 */
export function allowFingerprint(root: string, fingerprint: string, note: string): boolean {
  const fp = fingerprint.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(fp)) throw new Error('not a SHA-256 fingerprint');
  if (signusignoreEntries(root).some((e) => e.fingerprint === fp)) return false;
  const file = join(root, IGNORE_FILE_NAME);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const separator = before === '' || before.endsWith('\n') ? '' : '\n';
  writeFileSync(file, `${before}${separator}# ${note.replace(/[\r\n]+/g, ' ')}\n${fp}\n`);
  return true;
}

/** The line with its allow marker taken out, and the comment it sat in when nothing else is left in it. */
export function withoutAllowComment(line: string): string {
  const wholeComment = /\s*(?:\/\/|#|--|;|\/\*|<!--|%|')\s*signus:allow(?:-next-line)?\s*(?:\*\/|-->)?\s*$/;
  if (wholeComment.test(line)) return line.replace(wholeComment, '');
  return line.replace(/\s*signus:allow(?:-next-line)?\b/g, '').replace(/\s+$/, '');
}

/**
 * Removes one entry from the file that holds it. Returns false when the file no longer holds it as listed
 * (changed since), so nothing else is touched.
 */
export function removeAllowed(entry: AllowEntry): boolean {
  const file = join(entry.root, entry.file);
  const text = readText(file);
  if (text === undefined) return false;
  if (entry.source === 'baseline') {
    const baseline = parseBaseline(text);
    const kept = baseline.findings.filter((e) => !(e.fingerprint === entry.fingerprint && e.path === entry.path));
    if (kept.length === baseline.findings.length) return false;
    writeFileSync(file, serializeBaseline({ ...baseline, findings: kept }));
    return true;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const i = entry.line - 1;
  const line = lines[i];
  if (line === undefined) return false;
  if (entry.source === 'comment') {
    if (!line.includes(ALLOW_MARKER)) return false;
    const rest = withoutAllowComment(line);
    if (rest.trim() === '') lines.splice(i, 1);
    else lines[i] = rest;
  } else {
    const listed = entry.fingerprint ?? entry.path;
    if (
      line
        .trim()
        .toLowerCase()
        .replace(/^sha256:/, '') !== listed?.toLowerCase()
    )
      return false;
    // The comment this extension wrote above a fingerprint goes with it.
    const above = lines[i - 1];
    const ours = entry.source === 'signusignore' && above !== undefined && / allowed in VS Code$/.test(above);
    lines.splice(ours ? i - 1 : i, ours ? 2 : 1);
  }
  writeFileSync(file, lines.join(eol));
  return true;
}
