/**
 * The files of a git work tree as git sees them: every tracked file (even one that matches .gitignore:
 * force-added, it is pushed all the same) and every untracked file that is not ignored. Tracked files
 * come from the index, read in-process when git-index.ts can vouch for it (else `git ls-files --stage`),
 * so the caller reads them while git lists, beside it, what only git knows: untracked files, tracked
 * ones that match .gitignore, and (for the rescan cache) tracked ones whose work-tree file changed. Paths
 * come as bytes, so a file name that is not valid UTF-8 is still opened by its exact name.
 */
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { git } from './git.js';
import { indexIdentity, readGitIndex, TrackedFiles } from './git-index.js';

/** An untracked file. */
export interface GitFile {
  /** Relative to the top level, `/`-separated; invalid UTF-8 shown as U+FFFD. */
  relative: string;
  /** The exact path bytes, only when they are not valid UTF-8. */
  exact?: Buffer | undefined;
}

export interface GitListing {
  /** Tracked files in index order. */
  tracked: TrackedFiles;
  /** The rows of `tracked` to scan: under the pathspecs, and a conflicted file (a row per stage) once. */
  rows: Int32Array;
  /** Untracked files that are not ignored. */
  untracked: Promise<GitFile[]>;
  /** Keys (pathKey) of tracked files that match .gitignore. */
  forceAdded: Promise<Set<string>>;
  /**
   * With `changed`: 1 for each row of `tracked` whose work-tree file is not the blob the index names, by
   * git's own test (`git ls-files -m`: stat data, and content where stat data cannot tell); undefined
   * when git cannot vouch for the index read here (rewritten meanwhile, or git failed): then every file
   * is read. Per row, so a rescan never builds the paths of the files it does not read.
   */
  changed?: Promise<Uint8Array | undefined>;
}

/** One key per exact path: the text, or the bytes when the text would not tell two names apart. */
export const pathKey = (relative: string, exact: Buffer | undefined) =>
  exact ? `\0${exact.toString('latin1')}` : relative;

/** The records of `-z` output. */
function records(out: Buffer): GitFile[] {
  const text = out.toString('latin1');
  const files: GitFile[] = [];
  const ascii = !/[\x80-\xff]/.test(text);
  let start = 0;
  for (let nul = text.indexOf('\0'); nul !== -1; nul = text.indexOf('\0', start)) {
    if (nul > start) {
      if (ascii) files.push({ relative: text.slice(start, nul) });
      else {
        const bytes = out.subarray(start, nul);
        const relative = bytes.toString('utf8');
        const exact = relative.includes('\uFFFD') && !Buffer.from(relative).equals(bytes);
        files.push({ relative, ...(exact && { exact: Buffer.from(bytes) }) });
      }
    }
    start = nul + 1;
  }
  return files;
}

/**
 * Lists the files under `pathspecs` (relative to `top`, literal; none: the whole tree), or undefined when
 * `top` is not a git work tree or git cannot run. `gitDir`: top's git directory, if known (for the
 * in-process index); `changed`: also ask git which tracked files changed (the rescan cache).
 */
export async function listGitFiles(
  top: string,
  pathspecs: readonly string[],
  options: { gitDir?: string | undefined; changed?: boolean } = {},
): Promise<GitListing | undefined> {
  const specs = pathspecs.length ? ['--', ...pathspecs.map((p) => `:(literal)${p}`)] : [];
  const run = (args: string[]) => git([...args, ...specs], top);
  // One git beside us lists the untracked files and, for the rescan cache, the tracked files whose
  // work tree is not the blob the index names (`-m`: git's own test, stat data then content when the
  // stat data alone cannot tell, e.g. a racily clean entry). `-t` tells them apart (`? ` / `C `).
  // Started before the index is read here: on a rescan, git's pass over the tree is the critical path.
  // git's word holds for our reading of the index only if the file stayed the same from before git
  // started until it finished (a rename gives a new inode): checked at both ends.
  const tagged = options.changed === true && options.gitDir !== undefined;
  const before = tagged ? indexIdentity(join(options.gitDir!, 'index')) : undefined;
  const others = run(['ls-files', '-z', '--others', '--exclude-standard', ...(tagged ? ['-t', '-m'] : [])]);
  const forced = run(['ls-files', '-z', '--cached', '--ignored', '--exclude-standard']);
  const index = options.gitDir === undefined ? undefined : readGitIndex(options.gitDir);
  const withChanged = index !== undefined && tagged;
  let tracked: TrackedFiles;
  if (index) {
    tracked = index.files;
    // Let the git processes start before the caller's synchronous work.
    await setImmediate();
  } else {
    try {
      tracked = fromLsFiles(await run(['ls-files', '-z', '--stage', '--cached']));
    } catch {
      // Not a work tree, or no git: the caller walks the tree. The other calls fail alike; nobody waits.
      for (const p of [others, forced]) p.catch(() => undefined);
      return undefined;
    }
  }
  const keys = (files: GitFile[]) => new Set(files.map((f) => pathKey(f.relative, f.exact)));
  const flags = (files: GitFile[]) => {
    const changed = new Uint8Array(tracked.count);
    for (const f of files) {
      const row = tracked.rowOf(f.exact ?? Buffer.from(f.relative));
      if (row !== -1) changed[row] = 1;
    }
    return changed;
  };
  const listed = others.then((out) => {
    const all = records(out);
    if (!tagged) return { untracked: all, changed: [] };
    const withTag = (tag: string) =>
      all
        .filter((f) => f.relative.startsWith(tag))
        .map((f) => ({ ...f, relative: f.relative.slice(2), exact: f.exact?.subarray(2) }));
    return { untracked: withTag('? '), changed: withTag('C ') };
  });
  return {
    tracked,
    rows: rowsWithin(tracked, pathspecs),
    // A nested repository is listed as its directory (`dir/`): its own scan covers it.
    untracked: listed.then(({ untracked }) => untracked.filter((f) => !f.relative.endsWith('/'))),
    forceAdded: forced.then((out) => keys(records(out))),
    ...(withChanged && {
      changed: listed.then(
        ({ changed }) =>
          before === index.identity && indexIdentity(index.file) === index.identity ? flags(changed) : undefined,
        () => undefined,
      ),
    }),
  };
}

/** The rows under the literal pathspecs, each path once (the stages of a conflict are adjacent). */
function rowsWithin(tracked: TrackedFiles, pathspecs: readonly string[]): Int32Array {
  const rows = new Int32Array(tracked.count);
  let n = 0;
  if (!pathspecs.length) {
    // The whole tree (the common case): no path is built.
    for (let row = 0; row < tracked.count; row++)
      if (row === 0 || tracked.stage(row) <= 1 || !tracked.samePath(row - 1, row)) rows[n++] = row;
    return rows.subarray(0, n);
  }
  for (let row = 0; row < tracked.count; row++) {
    if (row > 0 && tracked.stage(row) > 1 && tracked.samePath(row - 1, row)) continue;
    const path = tracked.path(row);
    if (!pathspecs.some((s) => path === s || (path.startsWith(s) && path[s.length] === '/'))) continue;
    rows[n++] = row;
  }
  return rows.subarray(0, n);
}

/** `<mode> <blob> <stage>\t<path>` records of `ls-files -z --stage`. */
function fromLsFiles(out: Buffer): TrackedFiles {
  const rows: number[] = [];
  let start = 0;
  for (let nul = out.indexOf(0); nul !== -1; nul = out.indexOf(0, start)) {
    const tab = out.indexOf(0x09, start);
    if (tab !== -1 && tab < nul) {
      const mode = Number.parseInt(out.toString('latin1', start, out.indexOf(0x20, start)), 8);
      rows.push(tab + 1, nul, mode, out[tab - 1]! - 0x30);
    }
    start = nul + 1;
  }
  return TrackedFiles.fromNames(out, rows);
}
