/**
 * Finds every copy of one key on this machine: working trees under the given folders (ignored files
 * too: a `.env` is a copy), their git history (every ref, stash and reflog entry: pushed or not), and the
 * places in a home directory listed in incident/locations.ts. Symbolic links to folders are never
 * followed (no loop is possible); a listed home file that is a link is read once, through its target.
 */
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { decodeText, sniffEncoding } from '../../scan/index.js';
import {
  HOME_LOCATIONS,
  SKIPPED_DIRECTORIES,
  classifyProjectFile,
  globBase,
  globToRegExp,
  type HomeLocation,
  type LocationClass,
} from '../../incident/locations.js';
import { KeyMatcher, type CopyEncoding, type KeyMatch } from '../../incident/match.js';
import type { IncidentSkips } from '../../incident/report.js';
import { scanHistory, type HistoryFinding } from '../history/scan-history.js';
import { echoFinder } from '../../echo-redactor.js';
import { searchObjects } from './objects.js';

export interface FileCopy {
  /** Absolute. */
  path: string;
  class: LocationClass;
  tool?: string;
  /** The working tree it is in, if any. */
  root?: string;
  matches: KeyMatch[];
  /** Copies in the file, listed or not. */
  count: number;
  /** Read as bytes from a binary file (a tool's database): found, but never rewritten here. */
  binary?: true;
  /** UTF-16 text: found, rewritten by hand. */
  utf16?: true;
  /** The key (in some form) is in the file's name. */
  inName?: true;
}

export interface RepoHistory {
  /** The work tree's top. */
  repo: string;
  remotes: { name: string; url: string }[];
  findings: HistoryFinding[];
  commits: number;
  /**
   * Objects in the repository's database that hold the key in any form (with the key at hand): what the
   * history findings name, and also forms only the key reveals and objects no ref reaches any more.
   */
  objectsWithKey?: number;
  error?: string;
}

export interface IncidentFindings {
  files: FileCopy[];
  history: RepoHistory[];
  skipped: IncidentSkips;
  stats: { files: number; bytes: number; homeLocations: number; repositories: number };
  /** How the key was matched: by fingerprint only, or also in every form the key itself gives. */
  matchedWithKey: boolean;
}

export interface FindOptions {
  roots: readonly string[];
  home?: string | undefined;
  /** Folders never entered (the incident folder, which holds backups). */
  exclude?: readonly string[];
  maxFileBytes?: number;
  maxFiles?: number;
  /** Scan git history of the repositories found (default true). */
  history?: boolean;
  locations?: readonly HomeLocation[];
}

/** Transcripts grow large; a key in one is still a leak. Bigger files are listed as skipped. */
export const INCIDENT_MAX_FILE_BYTES = 64 * 1024 * 1024;
export const INCIDENT_MAX_FILES = 300_000;
const MAX_DEPTH = 40;

interface Candidate {
  path: string;
  class: LocationClass;
  tool?: string;
  root?: string;
  searchBinary?: boolean;
  /** For a name check: relative to its root or home. */
  name: string;
}

export async function findKeyCopies(matcher: KeyMatcher, options: FindOptions): Promise<IncidentFindings> {
  const maxFileBytes = options.maxFileBytes ?? INCIDENT_MAX_FILE_BYTES;
  const maxFiles = options.maxFiles ?? INCIDENT_MAX_FILES;
  const skipped: IncidentSkips = {
    tooLarge: [],
    binary: [],
    unreadable: [],
    symlinks: 0,
    skippedDirectories: 0,
    truncated: false,
  };
  const exclude = new Set((options.exclude ?? []).map(real));
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  const repos: string[] = [];
  const add = (c: Candidate) => {
    const key = real(c.path);
    if (seen.has(key)) return;
    if (candidates.length >= maxFiles) {
      skipped.truncated = true;
      return;
    }
    seen.add(key);
    candidates.push(c);
  };

  for (const root of options.roots) walkTree(root, root, 0, add, repos, skipped, exclude);
  let homeLocations = 0;
  if (options.home !== undefined) {
    for (const location of options.locations ?? HOME_LOCATIONS) {
      for (const glob of location.paths) {
        const before = candidates.length;
        homeMatches(
          options.home,
          glob,
          (path, rel) =>
            add({
              path,
              class: location.class,
              tool: location.tool,
              name: rel,
              ...(location.binary === 'search' && { searchBinary: true }),
            }),
          skipped,
          exclude,
        );
        if (candidates.length > before) homeLocations++;
      }
    }
  }

  const files: FileCopy[] = [];
  let bytes = 0;
  const readCopies = async (pass: 'first' | 'echo') => {
    for (const c of candidates) {
      if (pass === 'echo' && files.some((f) => f.path === c.path)) continue;
      const read = readBounded(c.path, maxFileBytes);
      if (read.kind === 'unreadable') {
        if (pass === 'first') skipped.unreadable.push({ path: c.path, reason: read.reason });
        continue;
      }
      if (read.kind === 'too-large') {
        if (pass === 'first') skipped.tooLarge.push({ path: c.path, bytes: read.bytes });
        continue;
      }
      if (pass === 'first') bytes += read.bytes.length;
      const encoding = sniffEncoding(read.bytes);
      let text: string;
      let binary = false;
      if (encoding === 'binary') {
        if (!c.searchBinary) {
          if (pass === 'first') skipped.binary.push(c.path);
          continue;
        }
        binary = true;
        text = Buffer.from(read.bytes).toString('latin1');
      } else {
        const decoded = decodeText(read.bytes);
        text = decoded.binary ? '' : decoded.text;
      }
      const { matches, counted } = matcher.find(text);
      if (matches.length > 0) {
        if (!matcher.hasSecret) {
          for (const m of matches) {
            const key = await matcher.recover(text, m);
            if (key) {
              matcher.useSecret(key);
              break;
            }
          }
        }
        files.push({
          path: c.path,
          class: c.class,
          ...(c.tool !== undefined && { tool: c.tool }),
          ...(c.root !== undefined && { root: c.root }),
          matches,
          count: counted,
          ...(binary && { binary: true as const }),
          ...(encoding.startsWith('utf-16') && { utf16: true as const }),
        });
      }
    }
  };
  const hadSecret = matcher.hasSecret;
  await readCopies('first');
  // Read back from a copy: the forms only the key itself reveals are looked for in a second pass.
  if (!hadSecret && matcher.hasSecret) await readCopies('echo');

  // The key in a file's own name: shown masked in the report, renamed by hand.
  for (const c of candidates) {
    const inName = matcher.find(c.name).matches;
    if (inName.length === 0) continue;
    const existing = files.find((f) => f.path === c.path);
    if (existing) existing.inName = true;
    else files.push({ path: c.path, class: 'file-name', matches: [], count: 0, inName: true });
  }

  const history: RepoHistory[] = [];
  if (options.history !== false) {
    for (const repo of repos) history.push(await repoHistory(repo, matcher, maxFileBytes));
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files,
    history,
    skipped,
    stats: { files: candidates.length, bytes, homeLocations, repositories: repos.length },
    matchedWithKey: matcher.hasSecret,
  };
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function walkTree(
  root: string,
  dir: string,
  depth: number,
  add: (c: Candidate) => void,
  repos: string[],
  skipped: IncidentSkips,
  exclude: ReadonlySet<string>,
): void {
  if (depth > MAX_DEPTH) return;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    skipped.unreadable.push({ path: dir, reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' });
    return;
  }
  if (entries.some((e) => e.name === '.git')) repos.push(dir);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      skipped.symlinks++;
      continue;
    }
    if (entry.isDirectory()) {
      if (SKIPPED_DIRECTORIES.includes(entry.name) || exclude.has(path)) {
        skipped.skippedDirectories++;
        continue;
      }
      walkTree(root, path, depth + 1, add, repos, skipped, exclude);
    } else if (entry.isFile()) {
      const rel = relative(root, path).split(sep).join('/');
      const kind = classifyProjectFile(rel);
      add({ path, root, name: rel, class: kind.class, ...(kind.tool !== undefined && { tool: kind.tool }) });
    }
  }
}

/** Files under `home` matching one glob of the locations list. */
function homeMatches(
  home: string,
  glob: string,
  found: (path: string, rel: string) => void,
  skipped: IncidentSkips,
  exclude: ReadonlySet<string>,
): void {
  const base = globBase(glob);
  const start = base === '' ? home : join(home, base);
  if (!glob.includes('*')) {
    // A named file may be a link (dotfiles kept in a repository): read through it, once.
    try {
      if (statSync(start).isFile()) found(start, glob);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') skipped.unreadable.push({ path: start, reason: 'symbolic link loop' });
    }
    return;
  }
  const re = globToRegExp(glob);
  const st = lstatSync(start, { throwIfNoEntry: false });
  if (!st?.isDirectory()) return;
  const visit = (dir: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relative(home, path).split(sep).join('/');
      if (entry.isSymbolicLink()) {
        skipped.symlinks++;
        continue;
      }
      if (entry.isDirectory()) {
        if (SKIPPED_DIRECTORIES.includes(entry.name) || exclude.has(path)) continue;
        visit(path, depth + 1);
      } else if (entry.isFile() && re.test(rel)) found(path, rel);
    }
  };
  visit(start, 0);
}

type Read =
  { kind: 'ok'; bytes: Uint8Array } | { kind: 'too-large'; bytes: number } | { kind: 'unreadable'; reason: string };

/** The file's bytes, or its size when over the limit (nothing read), without following a final link twice. */
function readBounded(path: string, maxBytes: number): Read {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { kind: 'unreadable', reason: code === 'ELOOP' ? 'symbolic link loop' : (code ?? 'unreadable') };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: 'unreadable', reason: 'not a regular file' };
    if (st.size > maxBytes) return { kind: 'too-large', bytes: st.size };
    const buffer = Buffer.allocUnsafe(st.size);
    let size = 0;
    while (size < st.size) {
      const n = readSync(fd, buffer, size, st.size - size, null);
      if (n === 0) break;
      size += n;
    }
    return { kind: 'ok', bytes: buffer.subarray(0, size) };
  } catch (error) {
    return { kind: 'unreadable', reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
  } finally {
    closeSync(fd);
  }
}

async function repoHistory(repo: string, matcher: KeyMatcher, maxBlobBytes: number): Promise<RepoHistory> {
  const { gitText } = await import('../git.js');
  let remotes: RepoHistory['remotes'] = [];
  try {
    const names = (await gitText(['remote'], repo)).split('\n').filter(Boolean);
    remotes = await Promise.all(
      names.map(async (name) => ({
        name,
        url: await gitText(['remote', 'get-url', '--', name], repo).catch(() => ''),
      })),
    );
  } catch {
    // no remotes
  }
  try {
    const result = await scanHistory({
      cwd: repo,
      selection: { revs: [], all: true, reflog: true },
      knownKeys: matcher.knownKeySet,
      maxBlobBytes,
    });
    const secret = matcher.secret;
    const objects = secret ? await searchObjects(repo, echoFinder(secret), maxBlobBytes) : undefined;
    return {
      repo: result.top,
      remotes,
      findings: result.findings.filter((f) => f.knownKeyLabel !== undefined),
      commits: result.stats.commits,
      ...(objects && { objectsWithKey: objects.withKey.length }),
    };
  } catch (error) {
    return { repo, remotes, findings: [], commits: 0, error: (error as Error).message };
  }
}

export type { CopyEncoding };
