/**
 * `signus scan PATH…`: lists the files (git's list in a git work tree, else a walk), skips what cannot
 * hold a key cheaply, decodes UTF-8 or UTF-16 text, scans it.
 */
import { closeSync, constants as fsConstants, existsSync, openSync, readSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import {
  byteRules,
  decodeText,
  escapeEndsAt,
  sniffEncoding,
  maskedSnippet,
  scanTextCounted,
  type Finding,
  type IgnoreRules,
  type KnownKeySet,
} from '../scan/index.js';
import { listGitFiles } from './git-files.js';
import { walkFiles, type WalkCounts } from './walk.js';

export interface FileFinding extends Finding {
  /** Relative to the project root, `/`-separated. */
  path: string;
  /** The line, secret masked. */
  snippet: string;
}

export interface TreeScanStats {
  files: number;
  bytes: number;
  /** Binary files not read as text, by path. */
  binary: string[];
  /** UTF-16 files decoded and scanned. */
  utf16: number;
  tooLarge: string[];
  symlinks: number;
  ignoredByGit: number;
  ignoredBySignus: number;
  unreadable: string[];
  /** Files with more findings than are listed per file, and how many more. */
  unlisted: { path: string; count: number }[];
  /** In a git work tree the file list is git's: tracked files (even ignored ones) and untracked, not ignored. */
  git?: { tracked: number; untracked: number; forceAdded: string[]; submodules: number; deleted: number };
}

export interface TreeScanOptions {
  /** Project root: paths are reported and matched relative to it. */
  root: string;
  /** Absolute files or directories inside root. */
  paths: string[];
  knownKeys?: KnownKeySet | undefined;
  ignore?: IgnoreRules | undefined;
  maxFileBytes: number;
  onProgress?: (stats: TreeScanStats) => void;
}

export { DEFAULT_MAX_FILE_BYTES } from './scan-context.js';

interface TreeEntry {
  /** A string, or the exact bytes of a name that is not valid UTF-8. */
  absolute: string | Buffer;
  relative: string;
}

/** The files to read: git's list in a git work tree, else a walk that honours .gitignore. */
async function listFiles(
  options: TreeScanOptions,
  stats: TreeScanStats,
  counts: WalkCounts,
  skip: (rel: string, isDir: boolean) => boolean,
): Promise<TreeEntry[]> {
  const { root } = options;
  const specs = options.paths.map((p) => relative(root, p).split(sep).join('/')).filter((p) => p !== '');
  const fromGit = existsSync(join(root, '.git'))
    ? await listGitFiles(root, specs.length < options.paths.length ? [] : specs)
    : undefined;
  if (!fromGit) return options.paths.flatMap((path) => walkFiles(root, path, counts, skip));
  const info = { tracked: 0, untracked: 0, forceAdded: [] as string[], submodules: 0, deleted: 0 };
  stats.git = info;
  const rootBytes = Buffer.from(`${root}${sep}`);
  const entries: TreeEntry[] = [];
  for (const f of fromGit) {
    if (f.mode === '160000') {
      info.submodules++;
      continue;
    }
    if (f.mode === '120000') {
      counts.symlinks++;
      continue;
    }
    if (skip(f.relative, false)) continue;
    if (f.tracked) info.tracked++;
    else info.untracked++;
    if (f.forceAdded) info.forceAdded.push(f.relative);
    const exact = Buffer.from(f.relative).equals(f.path);
    entries.push({
      absolute: exact ? join(root, f.relative) : Buffer.concat([rootBytes, f.path]),
      relative: f.relative,
    });
  }
  return entries;
}

export async function scanTree(options: TreeScanOptions): Promise<{ findings: FileFinding[]; stats: TreeScanStats }> {
  const { knownKeys, ignore, maxFileBytes, onProgress } = options;
  const counts: WalkCounts = { symlinks: 0, ignoredByGit: 0 };
  const stats: TreeScanStats = {
    files: 0,
    bytes: 0,
    binary: [],
    utf16: 0,
    tooLarge: [],
    symlinks: 0,
    ignoredByGit: 0,
    ignoredBySignus: 0,
    unreadable: [],
    unlisted: [],
  };
  const hasKnown = knownKeys !== undefined && knownKeys.labels.size > 0;
  const skip = (rel: string, isDir: boolean) => {
    const ignored = ignore?.isPathIgnored(isDir ? `${rel}/` : rel) === true;
    if (ignored) stats.ignoredBySignus++;
    return ignored;
  };
  const findings: FileFinding[] = [];
  // One buffer, reused and grown as needed: keeps memory flat and spares the GC on big trees.
  let buffer = Buffer.allocUnsafe(1 << 20);
  for (const entry of await listFiles(options, stats, counts, skip)) {
    let size: number;
    try {
      // Read to EOF (no fstat: one syscall and one Stats object less per file), stopping past the limit.
      // O_NOFOLLOW: a path git lists may have become a symbolic link in the work tree; it is not followed.
      const fd = openSync(entry.absolute, NO_FOLLOW);
      try {
        size = 0;
        for (;;) {
          if (size === buffer.length) {
            if (size > maxFileBytes) break;
            const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxFileBytes + 1));
            buffer.copy(bigger, 0, 0, size);
            buffer = bigger;
          }
          const n = readSync(fd, buffer, size, buffer.length - size, null);
          if (n === 0) break;
          size += n;
        }
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && stats.git) stats.git.deleted++;
      else if (code === 'ELOOP') counts.symlinks++;
      else stats.unreadable.push(entry.relative);
      continue;
    }
    if (size > maxFileBytes) {
      stats.tooLarge.push(entry.relative);
      continue;
    }
    const bytes = buffer.subarray(0, size);
    stats.files++;
    stats.bytes += size;
    if (onProgress && (stats.files & 255) === 0) onProgress(stats);
    const encoding = sniffEncoding(bytes);
    if (encoding === 'binary') {
      stats.binary.push(entry.relative);
      continue;
    }
    let text: string;
    if (encoding === 'utf-8') {
      if (!mayHoldFinding(bytes, hasKnown)) continue;
      text = bytes.toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    } else {
      stats.utf16++;
      const decoded = decodeText(bytes);
      if (decoded.binary) continue;
      text = decoded.text;
    }
    const { findings: found, omitted } = scanTextCounted(text, { path: entry.relative, knownKeys, ignore });
    for (const f of found) findings.push({ ...f, path: entry.relative, snippet: maskedSnippet(text, f, found) });
    if (omitted > 0) stats.unlisted.push({ path: entry.relative, count: omitted });
  }
  stats.symlinks = counts.symlinks;
  stats.ignoredByGit = counts.ignoredByGit;
  return { findings, stats };
}

const NO_FOLLOW = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0);

/** The byte rules, with their keywords as Buffers for Buffer.indexOf (native, fast). */
const byteRulesFor = (hasKnown: boolean) => byteRules(hasKnown).map((r) => ({ ...r, bytes: Buffer.from(r.keyword) }));
const BYTE_RULES = { known: byteRulesFor(true), shaped: byteRulesFor(false) };

/**
 * The rules' test on raw bytes (generated from the rule data: prefilter.ts), so a file is decoded only
 * when it may hold a finding; an escaped boundary (`%20sk_`, `\\nsk_`, `\\u0022sk_`) lets it through and
 * scanText decides.
 */
function mayHoldFinding(bytes: Buffer, hasKnown: boolean): boolean {
  for (const rule of hasKnown ? BYTE_RULES.known : BYTE_RULES.shaped) {
    const step = rule.bytes.length;
    for (let at = bytes.indexOf(rule.bytes); at !== -1; at = bytes.indexOf(rule.bytes, at + step)) {
      if (rule.glued && at > 0 && rule.glued[bytes[at - 1]!] === 1) {
        if (!escapeEndsAt((i) => (i >= 0 ? bytes[i]! : NaN), at)) continue;
      }
      if (runLength(bytes, at + step, rule.body, rule.minBody) >= rule.minBody) return true;
    }
  }
  return false;
}

function runLength(bytes: Buffer, from: number, table: Uint8Array, enough: number): number {
  let n = 0;
  for (let i = from; i < bytes.length && table[bytes[i]!] === 1 && n < enough; i++) n++;
  return n;
}
