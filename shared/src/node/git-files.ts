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
export async function listGitFiles(top: string, pathspecs: readonly string[]): Promise<GitFile[] | undefined> {
  const specs = pathspecs.length ? ['--', ...pathspecs.map((p) => `:(literal)${p}`)] : [];
  let tracked: Buffer;
  let untracked: Buffer;
  let ignoredTracked: Buffer;
  try {
    [tracked, untracked, ignoredTracked] = await Promise.all([
      git(['ls-files', '-z', '--stage', '--cached', ...specs], top),
      git(['ls-files', '-z', '--others', '--exclude-standard', ...specs], top),
      git(['ls-files', '-z', '--cached', '--ignored', '--exclude-standard', ...specs], top),
    ]);
  } catch {
    return undefined;
  }
  const forced = new Set(splitZ(ignoredTracked).map((p) => p.toString('latin1')));
  const files: GitFile[] = [];
  const seen = new Set<string>();
  for (const record of splitZ(tracked)) {
    // <mode> <blob> <stage>\t<path>; a conflicted file is listed once per stage.
    const tab = record.indexOf(0x09);
    const [mode = '', blob = ''] = record.toString('latin1', 0, tab).split(' ');
    const path = record.subarray(tab + 1);
    const key = path.toString('latin1');
    if (seen.has(key)) continue;
    seen.add(key);
    files.push({ path, relative: path.toString('utf8'), mode, blob, tracked: true, forceAdded: forced.has(key) });
  }
  for (const path of splitZ(untracked)) {
    // A nested repository is listed as its directory (`dir/`): its own scan covers it.
    if (path[path.length - 1] === 0x2f) continue;
    files.push({ path, relative: path.toString('utf8'), tracked: false, forceAdded: false });
  }
  return files;
}
