/**
 * `signus scan PATH…`: lists the files (git's list in a git work tree, else a walk), skips what cannot
 * hold a key cheaply, decodes UTF-8 or UTF-16 text, scans it.
 */
import { closeSync, constants as fsConstants, openSync, readSync } from 'node:fs';
import { relative, sep } from 'node:path';
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
import { listGitFiles, pathKey, type GitFile } from './git-files.js';
import { gitDirOf } from './git-index.js';
import { ScanCache, type CachedFile } from './scan-cache.js';
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
  /** Unchanged tracked files answered from the rescan cache, not read again. */
  cached: number;
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
  /**
   * In a git work tree, answer unchanged tracked files from the rescan cache under the git directory
   * (scan-cache.ts), signed with the secret in keyFile, and keep it up to date. Off by default: the CLI
   * turns it on (`--no-cache` off).
   */
  cache?: { keyFile: string } | undefined;
}

export { DEFAULT_MAX_FILE_BYTES } from './scan-context.js';

const SUBMODULE = 0o160000;
const SYMLINK = 0o120000;

export async function scanTree(options: TreeScanOptions): Promise<{ findings: FileFinding[]; stats: TreeScanStats }> {
  const { root, knownKeys, ignore, maxFileBytes, onProgress } = options;
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
    cached: 0,
  };
  const skip = (rel: string, isDir: boolean) => {
    const ignored = ignore?.isPathIgnored(isDir ? `${rel}/` : rel) === true;
    if (ignored) stats.ignoredBySignus++;
    return ignored;
  };
  const reader = new FileReader(maxFileBytes, knownKeys, ignore);
  const findings: FileFinding[] = [];
  /** The same accounting whether the file was read now or answered from the cache. */
  const take = (relative: string, result: CachedFile | 'deleted' | 'symlink' | 'unreadable') => {
    if (typeof result === 'string') {
      if (result === 'deleted' && stats.git) stats.git.deleted++;
      else if (result === 'symlink') counts.symlinks++;
      else stats.unreadable.push(relative);
      return;
    }
    if (result.kind === 'too-large') {
      stats.tooLarge.push(relative);
      return;
    }
    stats.files++;
    stats.bytes += result.size;
    if (onProgress && (stats.files & 255) === 0) onProgress(stats);
    if (result.kind === 'binary') stats.binary.push(relative);
    if (result.kind === 'utf16') stats.utf16++;
    for (const { snippet, ...f } of result.findings) findings.push({ ...f, path: relative, snippet });
    if (result.omitted > 0) stats.unlisted.push({ path: relative, count: result.omitted });
  };

  const specs = options.paths.map((p) => relative(root, p).split(sep).join('/')).filter((p) => p !== '');
  const gitDir = gitDirOf(root);
  const listing = gitDir
    ? await listGitFiles(root, specs.length < options.paths.length ? [] : specs, {
        gitDir,
        changed: options.cache !== undefined,
      })
    : undefined;
  if (!listing) {
    for (const path of options.paths)
      for (const entry of walkFiles(root, path, counts, skip)) take(entry.relative, reader.read(entry.absolute, -1));
  } else {
    const info = { tracked: 0, untracked: 0, forceAdded: [] as string[], submodules: 0, deleted: 0 };
    stats.git = info;
    const rootPrefix = `${root}${sep}`;
    const absolute = (relative: string, exact: Buffer | undefined) =>
      exact ? Buffer.concat([Buffer.from(rootPrefix), exact]) : rootPrefix + relative;
    // Opened while git lists beside us; used once git says which tracked files changed.
    const { tracked } = listing;
    const cache =
      options.cache && tracked.data.length
        ? ScanCache.open({ root, gitDir, keyFile: options.cache.keyFile, knownKeys, ignore, maxFileBytes })
        : undefined;
    const changed = cache && (await listing.changed);
    // Without path rules in .signusignore, a file answered from the cache needs no path unless it has
    // something to report: tens of thousands of unchanged files cost no string each.
    const pathFree = ignore === undefined || ignore.hasPathRules === false;
    const { modes } = tracked;
    for (const row of listing.rows) {
      const mode = modes[row];
      if (mode === SUBMODULE) {
        info.submodules++;
        continue;
      }
      if (mode === SYMLINK) {
        counts.symlinks++;
        continue;
      }
      let relative = pathFree ? undefined : tracked.path(row);
      if (relative !== undefined && skip(relative, false)) continue;
      info.tracked++;
      // Git vouches that the work-tree file is the blob the index names: its answer is the blob's.
      const oid = changed ? tracked.oid(row) : -1;
      const vouched = oid >= 0 && changed![row] === 0;
      const hit = vouched ? cache!.find(tracked.data, oid) : -1;
      if (hit !== -1) {
        stats.cached++;
        if (cache!.plainText(hit)) {
          // Text with nothing to report: only counted (take() would do the same, with a path).
          stats.files++;
          stats.bytes += cache!.size(hit);
          if (onProgress && (stats.files & 255) === 0) onProgress(stats);
        } else take(relative ?? tracked.path(row), cache!.answer(hit));
        continue;
      }
      relative ??= tracked.path(row);
      const exact = tracked.exact(row, relative);
      const result = reader.read(absolute(relative, exact), tracked.size(row));
      if (vouched && typeof result !== 'string') cache!.set(tracked.data, oid, result);
      take(relative, result);
    }
    let untracked: GitFile[];
    try {
      untracked = await listing.untracked;
    } catch {
      // git could not list the rest: walk for the files the index does not hold.
      const inIndex = new Set(Array.from(listing.rows, (row) => tracked.path(row)));
      untracked = options.paths
        .flatMap((path) => walkFiles(root, path, counts, () => false))
        .filter((e) => !inIndex.has(e.relative));
    }
    for (const f of untracked) {
      if (skip(f.relative, false)) continue;
      info.untracked++;
      take(f.relative, reader.read(absolute(f.relative, f.exact), -1));
    }
    const forced = await listing.forceAdded.catch(() => new Set<string>());
    if (forced.size) {
      for (const row of listing.rows) {
        const relative = tracked.path(row);
        const mode = tracked.modes[row];
        if (mode === SUBMODULE || mode === SYMLINK || ignore?.isPathIgnored(relative)) continue;
        if (forced.has(pathKey(relative, tracked.exact(row, relative)))) info.forceAdded.push(relative);
      }
    }
    // Without git's word on this index (rewritten meanwhile) nothing was used: keep the cache as it is.
    if (changed) cache?.save(options.paths.some((p) => relative(root, p) === ''));
  }
  stats.symlinks = counts.symlinks;
  stats.ignoredByGit = counts.ignoredByGit;
  return { findings, stats };
}

/** Reads and scans one file at a time into one buffer, reused and grown as needed (flat memory, less GC). */
class FileReader {
  private buffer = Buffer.allocUnsafe(1 << 20);
  private readonly hasKnown: boolean;

  constructor(
    private readonly maxFileBytes: number,
    private readonly knownKeys: KnownKeySet | undefined,
    private readonly ignore: IgnoreRules | undefined,
  ) {
    this.hasKnown = knownKeys !== undefined && knownKeys.labels.size > 0;
  }

  /**
   * What the file holds, or why it could not be read ('deleted': ENOENT, 'symlink': ELOOP). `expected`:
   * the size git's index recorded (-1: none).
   */
  read(path: string | Buffer, expected: number): CachedFile | 'deleted' | 'symlink' | 'unreadable' {
    const { maxFileBytes } = this;
    let size: number;
    try {
      // Read to EOF (no fstat: one syscall and one Stats object less per file), stopping past the limit.
      // O_NOFOLLOW: a path git lists may have become a symbolic link in the work tree; it is not followed.
      const fd = openSync(path, NO_FOLLOW);
      try {
        size = 0;
        // Big enough from the start for the size the index recorded: no copy while the file is read.
        if (expected >= this.buffer.length && expected <= maxFileBytes) this.buffer = Buffer.allocUnsafe(expected + 1);
        for (;;) {
          if (size === this.buffer.length) {
            if (size > maxFileBytes) break;
            const bigger = Buffer.allocUnsafe(Math.min(this.buffer.length * 2, maxFileBytes + 1));
            this.buffer.copy(bigger, 0, 0, size);
            this.buffer = bigger;
          }
          const want = this.buffer.length - size;
          const n = readSync(fd, this.buffer, size, want, null);
          if (n === 0) break;
          size += n;
          // A short read that stops at the size the index recorded is the end of the file: no read
          // more to be told so (readFileSync trusts fstat's size the same way).
          if (n < want && size === expected) break;
        }
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? 'deleted' : code === 'ELOOP' ? 'symlink' : 'unreadable';
    }
    if (size > maxFileBytes) return { size, kind: 'too-large', findings: [], omitted: 0 };
    const bytes = this.buffer.subarray(0, size);
    const encoding = sniffEncoding(bytes);
    if (encoding === 'binary') return { size, kind: 'binary', findings: [], omitted: 0 };
    let text: string;
    if (encoding === 'utf-8') {
      if (!mayHoldFinding(bytes, this.hasKnown)) return { size, kind: 'text', findings: [], omitted: 0 };
      text = bytes.toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    } else {
      const decoded = decodeText(bytes);
      if (decoded.binary) return { size, kind: 'utf16', findings: [], omitted: 0 };
      text = decoded.text;
    }
    // No path: .signusignore's paths were applied before reading, and the answer must be the blob's
    // alone for the rescan cache, which answers by blob id.
    const { findings: found, omitted } = scanTextCounted(text, {
      knownKeys: this.knownKeys,
      ignore: this.ignore,
    });
    return {
      size,
      kind: encoding === 'utf-8' ? 'text' : 'utf16',
      findings: found.map((f) => ({ ...f, snippet: maskedSnippet(text, f, found) })),
      omitted,
    };
  }
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
