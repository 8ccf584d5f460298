/**
 * `signus scan --staged`: exactly what the next commit adds — the index, not the working tree, and
 * only added lines, numbered as in the new file. Works before the first commit, inside hooks run by
 * `git commit -a` (git's GIT_INDEX_FILE is inherited), and for merges, where a line counts as added
 * only if it is new against every parent (so a branch's already-committed lines are not re-reported).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import {
  decodeText,
  maskedSnippet,
  prefilterKeywords,
  scanTextCounted,
  type Finding,
  type IgnoreRules,
  type KnownKeySet,
} from '../scan/index.js';
import { git, gitText, GitError } from './git.js';
import type { FileFinding } from './scan-files.js';
import { parsePatch, parseRawAndPatch, type StagedFile } from './staged-diff.js';

export interface StagedScanStats {
  files: number;
  addedLines: number;
  binary: string[];
  submodules: number;
  merge: boolean;
  /** Files with more findings than are listed per file, and how many more (context lines included). */
  unlisted: { path: string; count: number }[];
}

export interface StagedScanOptions {
  knownKeys?: KnownKeySet | undefined;
  ignore?: IgnoreRules | undefined;
  /**
   * The output of `git diff STAGED_DIFF_ARGS` followed by DIFF_COMPLETE_MARKER, when the caller ran it
   * (the hook does, in parallel with node starting up); else it is run here.
   */
  diff?: Buffer | undefined;
}

/** The one diff of the index against HEAD: what the next commit adds. The hook runs these exact arguments. */
export const STAGED_DIFF_ARGS = [
  'diff',
  '--cached',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--text',
  '--submodule=short',
  '--find-renames',
  '--diff-filter=ACMRT',
  '--raw',
  '--numstat',
  '-p',
  '-z',
  '--no-abbrev',
  '-U1',
  '--src-prefix=a/',
  '--dst-prefix=b/',
] as const;

/** Appended by the hook after git exits 0, so output cut short by a failing git is never taken as "no changes". */
export const DIFF_COMPLETE_MARKER = '\n#signus-diff-complete\n';
/**
 * The same, for a diff that git limited with `-G CANDIDATE_LINE_ERE` to the files with a key-like line
 * (what the hook sends since it stopped sending every file: git stays within the pipe's buffer and
 * finishes while node starts, instead of producing the rest of a large diff while node waits for it).
 * Findings are the same: no rule can match in a file without such a line. Only the counts differ.
 */
export const KEY_LIKE_DIFF_COMPLETE_MARKER = '\n#signus-diff-complete key-like-files\n';

/**
 * The diff given on standard input by the hook, checked for a completion marker and without it;
 * `keyLikeOnly` when git kept only the files with a key-like line.
 */
export function completedDiff(input: Buffer): { diff: Buffer; keyLikeOnly: boolean } {
  let diff: Buffer | undefined;
  let keyLikeOnly = false;
  for (const [marker, filtered] of [
    [DIFF_COMPLETE_MARKER, false],
    [KEY_LIKE_DIFF_COMPLETE_MARKER, true],
  ] as const) {
    const end = input.length - marker.length;
    if (end >= 0 && input.toString('latin1', end) === marker) {
      diff = input.subarray(0, end);
      keyLikeOnly = filtered;
    }
  }
  if (diff === undefined) {
    throw new GitError(
      'git diff did not complete (see its message above), so the staged changes could not be checked.',
    );
  }
  // The raw records come first; anything else means the input is not (all of) git's output.
  if (diff.length > 0 && diff[0] !== 0x3a /* ':' */)
    throw new GitError('the diff on standard input is not git diff --raw output.');
  return { diff, keyLikeOnly };
}

export async function readStagedFiles(
  cwd: string,
  base?: string,
  keywords?: readonly Buffer[],
  given?: Buffer,
): Promise<StagedFile[]> {
  const out = given ?? (await git([...STAGED_DIFF_ARGS, ...(base ? [base] : []), '--'], cwd));
  const { raw, patch } = parseRawAndPatch(out);
  return parsePatch(patch, raw, keywords ? (section) => keywords.some((k) => section.indexOf(k) !== -1) : undefined);
}

/**
 * The top level, and the other parents when a merge is being committed. Read from the file system
 * when it is plain (saves a git process, ~25 ms, on every commit); asked of git otherwise.
 */
async function repoState(cwd: string): Promise<{ top: string; others: string[] }> {
  const local = process.env.GIT_DIR || process.env.GIT_WORK_TREE ? undefined : findGitDir(cwd);
  let top: string;
  let mergeHead: string;
  if (local) {
    top = local.top;
    mergeHead = join(local.gitDir, 'MERGE_HEAD');
  } else {
    let lines: string[];
    try {
      lines = (await gitText(['rev-parse', '--show-toplevel', '--git-path', 'MERGE_HEAD'], cwd)).split('\n');
    } catch (error) {
      throw new GitError(`--staged needs a git work tree: ${(error as Error).message}`);
    }
    top = lines[0] ?? cwd;
    mergeHead = isAbsolute(lines[1] ?? '') ? lines[1]! : resolve(cwd, lines[1] ?? '');
  }
  try {
    const text = readFileSync(mergeHead, 'utf8');
    return {
      top,
      others: text
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
    };
  } catch {
    return { top, others: [] };
  }
}

/** `.git` as a directory, or as a file pointing at one (worktrees, submodules). */
function findGitDir(from: string): { top: string; gitDir: string } | undefined {
  for (let dir = resolve(from); ;) {
    const dotGit = join(dir, '.git');
    const st = statSync(dotGit, { throwIfNoEntry: false });
    if (st?.isDirectory()) return { top: dir, gitDir: dotGit };
    if (st?.isFile()) {
      const m = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'));
      return m?.[1] ? { top: dir, gitDir: resolve(dir, m[1].trim()) } : undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export async function scanStaged(
  cwd: string,
  options: StagedScanOptions = {},
): Promise<{ top: string; findings: FileFinding[]; stats: StagedScanStats }> {
  const hasKnown = options.knownKeys !== undefined && options.knownKeys.labels.size > 0;
  const keywords = prefilterKeywords(hasKnown).map((k) => Buffer.from(k));
  const [{ top, others }, files] = await Promise.all([
    repoState(cwd),
    readStagedFiles(cwd, undefined, keywords, options.diff),
  ]);
  const stats: StagedScanStats = {
    files: 0,
    addedLines: 0,
    binary: [],
    submodules: 0,
    merge: others.length > 0,
    unlisted: [],
  };

  // For a merge: the added lines against each other parent (read only when there is a finding); a
  // finding must be on a line new against every parent.
  let otherAdded: Set<string>[] | undefined;
  const addedAgainstOthers = async (): Promise<Set<string>[]> =>
    (otherAdded ??= await Promise.all(others.map(async (parent) => addedLineKeys(await readStagedFiles(cwd, parent)))));

  const findings: FileFinding[] = [];
  for (const file of files) {
    if (file.newMode === '160000') {
      stats.submodules++;
      continue;
    }
    if (file.binary) {
      stats.binary.push(file.path);
      continue;
    }
    if (file.addedCount === 0) continue;
    stats.files++;
    stats.addedLines += file.addedCount;
    if (file.lines.length === 0) continue;
    const scanned = file.utf16 ? await scanWholeBlob(cwd, file, options) : scanAddedLines(file, options);
    if (scanned === undefined) {
      stats.binary.push(file.path);
      continue;
    }
    const { text, found, omitted, gitLine } = scanned;
    if (omitted > 0) stats.unlisted.push({ path: file.path, count: omitted });
    const added = new Set(file.lines.filter((l) => l.added).map((l) => l.number));
    for (const f of found) {
      const number = gitLine(f);
      if (number === undefined || !added.has(number)) continue;
      if (others.length > 0 && (await addedAgainstOthers()).some((set) => !set.has(`${file.path}\0${number}`)))
        continue;
      // Lines scanned alone are numbered by git; a decoded blob by its own text, as the editor shows it.
      const line = file.utf16 ? f.line : number;
      findings.push({ ...f, line, endLine: line, path: file.path, snippet: maskedSnippet(text, f, found) });
    }
  }
  return { top, findings, stats };
}

interface ScannedText {
  text: string;
  found: Finding[];
  omitted: number;
  /** The line of the new file (as git numbers it) a finding is on. */
  gitLine: (finding: Finding) => number | undefined;
}

/** The added lines and one line of context around them, joined: what a plain text file's commit adds. */
function scanAddedLines(file: StagedFile, options: StagedScanOptions): ScannedText {
  const text = file.lines.map((l) => l.text).join('\n');
  const { findings: found, omitted } = scanTextCounted(text, {
    path: file.path,
    knownKeys: options.knownKeys,
    ignore: options.ignore,
  });
  return { text, found, omitted, gitLine: (f) => file.lines[f.line - 1]?.number };
}

/**
 * A UTF-16 file: the staged blob, decoded by its byte-order mark or NUL pattern, scanned whole; a finding
 * counts if it sits on a line the commit adds. Git numbers lines by 0x0a bytes (a UTF-16 character can
 * hold one), so a finding's line is found by counting them in the blob up to the finding's bytes.
 * Undefined when the blob is binary after all.
 */
async function scanWholeBlob(
  cwd: string,
  file: StagedFile,
  options: StagedScanOptions,
): Promise<ScannedText | undefined> {
  const bytes = await git(['cat-file', 'blob', file.blob], cwd);
  const decoded = decodeText(bytes);
  if (decoded.binary) return undefined;
  const { text } = decoded;
  const { findings: found, omitted } = scanTextCounted(text, {
    path: file.path,
    knownKeys: options.knownKeys,
    ignore: options.ignore,
  });
  const bom =
    decoded.encoding === 'utf-8'
      ? bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
        ? 3
        : 0
      : (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)
        ? 2
        : 0;
  const byteOffset = (offset: number) =>
    bom + (decoded.encoding === 'utf-8' ? Buffer.byteLength(text.slice(0, offset)) : offset * 2);
  const gitLine = (f: Finding) => {
    let line = 1;
    const end = byteOffset(f.offset);
    for (let at = bytes.indexOf(0x0a); at !== -1 && at < end; at = bytes.indexOf(0x0a, at + 1)) line++;
    return line;
  };
  return { text, found, omitted, gitLine };
}

function addedLineKeys(files: StagedFile[]): Set<string> {
  const keys = new Set<string>();
  for (const f of files) for (const l of f.lines) if (l.added) keys.add(`${f.path}\0${l.number}`);
  return keys;
}
