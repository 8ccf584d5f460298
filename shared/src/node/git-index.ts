/**
 * Reads git's index file (`<git dir>/index`, versions 2–4) in-process: the tracked files, their modes and
 * blob ids, without spawning `git ls-files` and waiting for it. The tree scan starts reading files at once
 * while git lists what only git can (untracked files, changed stat data) beside it. Anything this reader
 * does not fully understand — a split or sparse index, an unknown required extension, a truncated file, a
 * SHA-256 repository, git told to look elsewhere by its environment — is refused (undefined), and the
 * caller asks git instead: the index is read exactly or not at all.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync, type BigIntStats } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The tracked files of a work tree, one row per index entry in index order, in typed arrays: no object
 * or string per file until one is asked for (a 50k-file index read into objects costs more in garbage
 * collection than in parsing).
 */
export class TrackedFiles {
  constructor(
    /** Where blob ids and index stat data are read (the index file's bytes), if from the index. */
    readonly data: Buffer,
    /** The path bytes of every row. */
    private readonly names: Buffer,
    private readonly nameStart: Int32Array,
    private readonly nameEnd: Int32Array,
    readonly modes: Uint32Array,
    /** Offset of each row's entry in data; -1 when not from the index. */
    private readonly entryAt: Int32Array,
    /** Bit 0–1: stage; bit 2: git compares the entry with the work tree (see compared()). */
    private readonly bits: Uint8Array,
    readonly count: number,
  ) {}

  /** Relative to the top level, `/`-separated; invalid UTF-8 shown as U+FFFD. */
  path(row: number): string {
    const { names } = this;
    const start = this.nameStart[row]!;
    const end = this.nameEnd[row]!;
    for (let i = start; i < end; i++) if (names[i]! >= 0x80) return names.toString('utf8', start, end);
    return names.toString('latin1', start, end);
  }

  /** The exact path bytes, only when they are not valid UTF-8 (path() would open nothing). */
  exact(row: number, path: string): Buffer | undefined {
    if (!path.includes('\uFFFD')) return undefined;
    const bytes = Buffer.from(this.names.subarray(this.nameStart[row]!, this.nameEnd[row]!));
    return Buffer.from(path).equals(bytes) ? undefined : bytes;
  }

  /**
   * Where the row's blob id sits in `data`, when git compares the entry with the work tree (`git
   * ls-files -m` would list it if changed): from the index, stage 0, and none of assume-unchanged,
   * skip-worktree or intent-to-add. Else -1.
   */
  oid(row: number): number {
    return this.bits[row]! & 4 ? this.entryAt[row]! + 40 : -1;
  }

  /** The size the index recorded (32 bits), or -1. */
  size(row: number): number {
    const at = this.entryAt[row]!;
    return at < 0 ? -1 : this.data.readUInt32BE(at + 36);
  }

  /** 0, or 1–3 for the sides of a conflict (one row each, adjacent). */
  stage(row: number): number {
    return this.bits[row]! & 3;
  }

  /** Whether rows a and b name the same path. */
  samePath(a: number, b: number): boolean {
    const { names, nameStart, nameEnd } = this;
    const length = nameEnd[a]! - nameStart[a]!;
    if (nameEnd[b]! - nameStart[b]! !== length) return false;
    return names.compare(names, nameStart[b], nameEnd[b], nameStart[a], nameEnd[a]) === 0;
  }

  /** A row whose path is exactly `bytes`, or -1 (rows are in git's order: by path bytes, then stage). */
  rowOf(bytes: Buffer): number {
    const { names, nameStart, nameEnd } = this;
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const c = names.compare(bytes, 0, bytes.length, nameStart[mid], nameEnd[mid]);
      if (c === 0) return mid;
      if (c < 0) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  /** Builds a table from rows given as [nameStart, nameEnd, mode, stage] over `names` (no index data). */
  static fromNames(names: Buffer, rows: number[]): TrackedFiles {
    const count = rows.length / 4;
    const t = new TrackedFiles(
      Buffer.alloc(0),
      names,
      new Int32Array(count),
      new Int32Array(count),
      new Uint32Array(count),
      new Int32Array(count).fill(-1),
      new Uint8Array(count),
      count,
    );
    for (let i = 0; i < count; i++) {
      t.nameStart[i] = rows[4 * i]!;
      t.nameEnd[i] = rows[4 * i + 1]!;
      t.modes[i] = rows[4 * i + 2]!;
      t.bits[i] = rows[4 * i + 3]!;
    }
    return t;
  }
}

export interface GitIndex {
  file: string;
  files: TrackedFiles;
  /** The file as it was when read (inode, size, times): another value later means git rewrote it. */
  identity: string;
}

export const OID_BYTES = 20;

/** The git directory of the work tree at `root` (`.git`, or where a `.git` file points), if any. */
export function gitDirOf(root: string): string | undefined {
  const dotGit = join(root, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const m = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    if (!m) return undefined;
    const dir = isAbsolute(m[1]!) ? m[1]! : resolve(root, m[1]!);
    return statSync(dir).isDirectory() ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Environment variables that point git at another index, git directory or work tree than `<root>/.git`. */
const REDIRECTS = ['GIT_INDEX_FILE', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY'];

const ASSUME_VALID = 0x8000;
const EXTENDED = 0x4000;
const SKIP_WORKTREE = 0x4000; // in the second flags word
const INTENT_TO_ADD = 0x2000; // in the second flags word

const identityOf = (s: BigIntStats) => `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;

/** The identity of the index file now, to compare with GitIndex.identity. */
export function indexIdentity(file: string): string {
  const s = statSync(file, { bigint: true, throwIfNoEntry: false });
  return s ? identityOf(s) : 'none';
}

/**
 * The index of the work tree whose git directory is `gitDir`, or undefined when this reader cannot vouch
 * for it (the caller then asks git). A repository without an index yet has no tracked files.
 */
export function readGitIndex(gitDir: string, env: NodeJS.ProcessEnv = process.env): GitIndex | undefined {
  if (REDIRECTS.some((name) => env[name] !== undefined)) return undefined;
  const file = join(gitDir, 'index');
  let data: Buffer;
  let identity: string;
  try {
    const fd = openSync(file, 'r');
    try {
      const st = fstatSync(fd, { bigint: true });
      identity = identityOf(st);
      data = Buffer.allocUnsafe(Number(st.size));
      let got = 0;
      while (got < data.length) {
        const n = readSync(fd, data, got, data.length - got, null);
        if (n === 0) return undefined; // shrank while read: git rewrote it
        got += n;
      }
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    return { file, files: TrackedFiles.fromNames(Buffer.alloc(0), []), identity: 'none' };
  }
  const files = parseIndex(data);
  return files && { file, files, identity };
}

/** The entries, or undefined for anything but a whole, SHA-1, non-split, non-sparse index. */
export function parseIndex(data: Buffer): TrackedFiles | undefined {
  if (data.length < 12 + OID_BYTES || data.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = data.readUInt32BE(4);
  if (version < 2 || version > 4) return undefined;
  const count = data.readUInt32BE(8);
  const end = data.length - OID_BYTES;
  if (count > (end - 12) / (40 + OID_BYTES + 2)) return undefined;
  const nameStart = new Int32Array(count);
  const nameEnd = new Int32Array(count);
  const modes = new Uint32Array(count);
  const entryAt = new Int32Array(count);
  const bits = new Uint8Array(count);
  // Version 4 stores each path as "drop N bytes from the previous path, then append this": the whole
  // paths are written one after the other into `names`.
  let names = version === 4 ? Buffer.allocUnsafe(Math.max(4096, data.length * 2)) : data;
  let namesLength = 0;
  let previous = 0;
  let at = 12;
  // DataView reads are built-ins: fast before the JIT warms up, which one pass over 50k entries never does.
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < count; i++) {
    const fixed = 40 + OID_BYTES + 2;
    if (at + fixed > end) return undefined;
    entryAt[i] = at;
    const mode = view.getUint32(at + 24);
    const type = mode >>> 12;
    // 0o04: a sparse-index directory entry; anything else unknown is refused too.
    if (type !== 0o10 && type !== 0o12 && type !== 0o16) return undefined;
    const flags = view.getUint16(at + 40 + OID_BYTES);
    let nameAt = at + fixed;
    let flags2 = 0;
    if (flags & EXTENDED) {
      if (version < 3 || nameAt + 2 > end) return undefined;
      flags2 = view.getUint16(nameAt);
      nameAt += 2;
    }
    if (version === 4) {
      let drop = 0;
      let c: number;
      let p = nameAt;
      // git's offset varint (varint.c): each continuation adds one before shifting.
      do {
        if (p >= end) return undefined;
        c = data[p++]!;
        drop = (drop << 7) | (c & 0x7f);
        if (c & 0x80) drop++;
        if (drop > namesLength - previous) return undefined;
      } while (c & 0x80);
      const nul = data.indexOf(0, p);
      if (nul === -1 || nul >= end) return undefined;
      const keep = namesLength - previous - drop;
      const length = keep + (nul - p);
      if (namesLength + length > names.length) {
        const bigger = Buffer.allocUnsafe((namesLength + length) * 2);
        names.copy(bigger, 0, 0, namesLength);
        names = bigger;
      }
      names.copy(names, namesLength, previous, previous + keep);
      data.copy(names, namesLength + keep, p, nul);
      previous = namesLength;
      nameStart[i] = namesLength;
      namesLength += length;
      nameEnd[i] = namesLength;
      at = nul + 1;
    } else {
      const nameLength = flags & 0xfff;
      // The 12-bit length is exact below 0xfff: no search for the NUL then.
      const nul = nameLength < 0xfff ? nameAt + nameLength : data.indexOf(0, nameAt);
      if (nul === -1 || nul >= end || data[nul] !== 0) return undefined;
      nameStart[i] = nameAt;
      nameEnd[i] = nul;
      // Entries are padded with 1–8 NULs to a multiple of 8 bytes.
      at += (nul - at + 8) & ~7;
      if (at > end) return undefined;
    }
    const stage = (flags >> 12) & 3;
    const compared = stage === 0 && (flags & ASSUME_VALID) === 0 && (flags2 & (SKIP_WORKTREE | INTENT_TO_ADD)) === 0;
    modes[i] = mode;
    bits[i] = stage | (compared ? 4 : 0);
  }
  // Extensions: optional ones (upper-case signature) are skipped; a required one (link: split index,
  // sdir: sparse index, or one this reader does not know) means the entries above are not the whole story.
  while (at < end) {
    if (at + 8 > end) return undefined;
    const first = data[at]!;
    if (first < 0x41 || first > 0x5a) return undefined;
    at += 8 + data.readUInt32BE(at + 4);
  }
  if (at !== end) return undefined;
  return new TrackedFiles(data, names, nameStart, nameEnd, modes, entryAt, bits, count);
}
