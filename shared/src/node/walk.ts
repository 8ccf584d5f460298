/**
 * Walks a tree the way git sees it: .gitignore files (at every level, and those above the start
 * directory up to the project root) are honoured, `.git` is skipped, and symbolic links are never
 * followed, so nothing outside the tree is read and no loop is possible.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface WalkEntry {
  /** Absolute path; the exact bytes when a name on it is not valid UTF-8. */
  absolute: string | Buffer;
  /** Relative to the project root, `/`-separated. */
  relative: string;
}

export interface WalkCounts {
  symlinks: number;
  ignoredByGit: number;
}

interface Level {
  /** Relative to the root, '' or ending with '/'. */
  base: string;
  rules: Ignore;
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

function gitignoreAt(dirAbs: string, base: string): Level | undefined {
  const file = join(dirAbs, '.gitignore');
  if (!existsSync(file)) return undefined;
  try {
    return { base, rules: ignore().add(readFileSync(file, 'utf8')) };
  } catch {
    return undefined;
  }
}

function isIgnored(levels: readonly Level[], rel: string, isDir: boolean): boolean {
  for (const level of levels) {
    const local = rel.slice(level.base.length) + (isDir ? '/' : '');
    if (local && level.rules.ignores(local)) return true;
  }
  return false;
}

/**
 * Lists each regular file under `start` (a file or directory inside `root`), in directory order.
 * `skip(rel, isDir)` lets the caller prune by its own rules (.signusignore) before anything is read.
 * A plain list, not a generator: nested `yield*` costs a step per directory level for every file.
 */
export function walkFiles(
  root: string,
  start: string,
  counts: WalkCounts,
  skip: (rel: string, isDir: boolean) => boolean,
): WalkEntry[] {
  const out: WalkEntry[] = [];
  const startRel = toPosix(relative(root, start));
  const levels: Level[] = [];
  // .gitignore files between the root and the start directory apply too.
  const parts = startRel === '' ? [] : startRel.split('/');
  let acc = '';
  for (let i = 0; i <= parts.length; i++) {
    const abs = acc === '' ? root : join(root, acc);
    const st = lstatSync(abs, { throwIfNoEntry: false });
    if (!st?.isDirectory()) break;
    const level = gitignoreAt(abs, acc === '' ? '' : `${acc}/`);
    if (level) levels.push(level);
    if (i < parts.length) acc = acc === '' ? parts[i]! : `${acc}/${parts[i]}`;
  }

  const st = lstatSync(start);
  if (st.isSymbolicLink()) counts.symlinks++;
  else if (st.isFile()) out.push({ absolute: start, relative: startRel });
  else walkDir(out, start, startRel === '' ? '' : `${startRel}/`, levels, counts, skip, false);
  return out;
}

function walkDir(
  out: WalkEntry[],
  dirAbs: string | Buffer,
  dirRel: string,
  levels: Level[],
  counts: WalkCounts,
  skip: (rel: string, isDir: boolean) => boolean,
  loadOwnGitignore = true,
): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dirAbs, { withFileTypes: true }) as Dirent[];
  } catch {
    return;
  }
  // The start directory's own .gitignore was loaded with those above it.
  const own =
    !loadOwnGitignore || typeof dirAbs !== 'string'
      ? undefined
      : entries.some((e) => e.name === '.gitignore')
        ? gitignoreAt(dirAbs, dirRel)
        : undefined;
  const here = own ? [...levels, own] : levels;
  // A name that is not valid UTF-8 reads as U+FFFD and opens nothing: such names are taken as bytes.
  let exactNames: Buffer[] | undefined;
  for (const entry of entries) {
    const rel = dirRel + entry.name;
    if (entry.isSymbolicLink()) {
      counts.symlinks++;
      continue;
    }
    const isDir = entry.isDirectory();
    if (isDir && entry.name === '.git') continue;
    if (!isDir && !entry.isFile()) continue;
    if (isIgnored(here, rel, isDir)) {
      counts.ignoredByGit++;
      continue;
    }
    if (skip(rel, isDir)) continue;
    let abs: string | Buffer;
    if (typeof dirAbs === 'string' && !entry.name.includes('\uFFFD')) {
      abs = `${dirAbs}${sep}${entry.name}`; // path.join would normalise: measurable on 50k files
    } else {
      exactNames ??= readdirSync(dirAbs, { encoding: 'buffer' });
      const exact = exactNames.find((b) => b.toString('utf8') === entry.name) ?? Buffer.from(entry.name);
      exactNames = exactNames.filter((b) => b !== exact);
      abs = Buffer.concat([Buffer.from(dirAbs), Buffer.from(sep), exact]);
    }
    if (isDir) walkDir(out, abs, `${rel}/`, here, counts, skip);
    else out.push({ absolute: abs, relative: rel });
  }
}
