/**
 * The files of a git work tree as git sees them: every tracked file (even one that matches .gitignore:
 * force-added, it is pushed all the same) and every untracked file that is not ignored. Paths come from
 * `-z` output as bytes, so a file name that is not valid UTF-8 is still opened by its exact name.
 */
import { git } from './git.js';

export interface GitFile {
  /** Relative to the top level, `/`-separated, exactly as git stores it (bytes). */
  path: Buffer;
  /** As text, for reports and .signusignore (invalid UTF-8 shown as U+FFFD). */
  relative: string;
  /** From the index; undefined for untracked files. */
  mode?: string;
  /** The index's blob id; undefined for untracked files. */
  blob?: string;
  tracked: boolean;
  /** Tracked although .gitignore matches it. */
  forceAdded: boolean;
  /**
   * With `indexState`: set when the work-tree file is, by git's own test, the one the index recorded
   * (stat data unchanged since git wrote or hashed it): the blob id and that stat data, which together
   * name this exact content at this path. Unset for anything git would not vouch for (see UNTRUSTED_FLAGS).
   */
  unchanged?: string;
}

function splitZ(out: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let nul = out.indexOf(0); nul !== -1; nul = out.indexOf(0, start)) {
    if (nul > start) parts.push(out.subarray(start, nul));
    start = nul + 1;
  }
  return parts;
}

/**
 * Lists the files under `pathspecs` (relative to `top`; none: the whole tree), or undefined when `top`
 * is not a git work tree or git cannot run.
 */
export async function listGitFiles(
  top: string,
  pathspecs: readonly string[],
  options: { indexState?: boolean } = {},
): Promise<GitFile[] | undefined> {
  const specs = pathspecs.length ? ['--', ...pathspecs.map((p) => `:(literal)${p}`)] : [];
  let tracked: Buffer;
  let untracked: Buffer;
  let ignoredTracked: Buffer;
  let modified: Buffer | undefined;
  try {
    [tracked, untracked, ignoredTracked, modified] = await Promise.all([
      git(['ls-files', '-z', '--stage', '--cached', ...(options.indexState ? ['--debug'] : []), ...specs], top),
      git(['ls-files', '-z', '--others', '--exclude-standard', ...specs], top),
      git(['ls-files', '-z', '--cached', '--ignored', '--exclude-standard', ...specs], top),
      // Tracked files whose work-tree stat data differs from the index's (racily clean ones compared by
      // content): git's own exact test, done in C, instead of a stat call per file here.
      options.indexState ? git(['diff-files', '-z', '--name-only', '--no-renames', ...specs], top) : undefined,
    ]);
  } catch {
    return undefined;
  }
  const forced = new Set(splitZ(ignoredTracked).map((p) => p.toString('latin1')));
  const changed = modified && new Set(splitZ(modified).map((p) => p.toString('latin1')));
  let entries: IndexEntry[];
  try {
    entries = changed ? [...indexEntriesWithState(tracked)] : [...indexEntries(tracked)];
  } catch (error) {
    if (!(error instanceof UnknownDebugFormat)) throw error;
    return listGitFiles(top, pathspecs);
  }
  const files: GitFile[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    // A conflicted file is listed once per stage.
    const key = entry.path.toString('latin1');
    if (seen.has(key)) continue;
    seen.add(key);
    const { path, mode, blob, state } = entry;
    const file: GitFile = {
      path,
      relative: path.toString('utf8'),
      mode,
      blob,
      tracked: true,
      forceAdded: forced.has(key),
    };
    if (state !== undefined && !changed?.has(key)) file.unchanged = `${blob} ${state}`;
    files.push(file);
  }
  for (const path of splitZ(untracked)) {
    // A nested repository is listed as its directory (`dir/`): its own scan covers it.
    if (path[path.length - 1] === 0x2f) continue;
    files.push({ path, relative: path.toString('utf8'), tracked: false, forceAdded: false });
  }
  return files;
}

interface IndexEntry {
  path: Buffer;
  mode: string;
  blob: string;
  /** The index entry's stat data, when git vouches for it (see UNTRUSTED_FLAGS). */
  state?: string;
}

/** `<mode> <blob> <stage>\t<path>` records of `ls-files -z --stage`. */
function* indexEntries(out: Buffer): Generator<IndexEntry> {
  for (const record of splitZ(out)) {
    const tab = record.indexOf(0x09);
    const [mode = '', blob = ''] = record.toString('latin1', 0, tab).split(' ');
    yield { path: record.subarray(tab + 1), mode, blob };
  }
}

const DEBUG_BLOCK =
  /\0 {2}ctime: (\d+:\d+)\n {2}mtime: (\d+:\d+)\n {2}dev: (\d+)\tino: (\d+)\n {2}uid: (\d+)\tgid: (\d+)\n {2}size: (\d+)\tflags: ([0-9a-f]+)\n/y;

/**
 * Index flags after which git no longer compares the work tree with the entry: assume-unchanged
 * (CE_VALID), intent-to-add and skip-worktree. Such a file is always read.
 */
const UNTRUSTED_FLAGS = 0x8000 | (1 << 29) | (1 << 30);

/**
 * `ls-files -z --stage --debug`: each record is followed by the entry's stat data. Latin-1 maps each
 * byte to one character, so string offsets are byte offsets and paths stay exact.
 */
class UnknownDebugFormat extends Error {}

function* indexEntriesWithState(out: Buffer): Generator<IndexEntry> {
  const text = out.toString('latin1');
  let at = 0;
  while (at < text.length) {
    const nul = text.indexOf('\0', at);
    if (nul === -1) return;
    const tab = text.indexOf('\t', at);
    const [mode = '', blob = '', stage = ''] = text.slice(at, tab).split(' ');
    const path = out.subarray(tab + 1, nul);
    DEBUG_BLOCK.lastIndex = nul;
    const m = DEBUG_BLOCK.exec(text);
    // Not the format this parser knows: the caller lists again without stat data.
    if (!m) throw new UnknownDebugFormat();
    at = DEBUG_BLOCK.lastIndex;
    const flags = Number.parseInt(m[8]!, 16);
    const trusted = stage === '0' && (flags & UNTRUSTED_FLAGS) === 0;
    yield trusted ? { path, mode, blob, state: m.slice(1, 8).join(' ') } : { path, mode, blob };
  }
}
