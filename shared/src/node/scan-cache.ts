/**
 * The tree scan's rescan cache: what scanning a blob found, kept under the repository's git directory
 * and used again for any tracked file git vouches is that blob (its index entry names it and `git
 * ls-files -m` does not list the file). Keyed, as a whole, by everything else that changes the
 * answer: the engine build, the known keys, .signusignore's fingerprints, the size limit, and this
 * repository on this machine. The file is signed with a per-user secret kept outside the repository
 * (keyFile), so a cache written by anyone else (shipped with a copied repository, planted in a shared
 * .git) is ignored, as is anything unexpected in it: never trusted. It holds what the report shows
 * (masked snippets, fingerprints), never a key.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { redact } from '../mask.js';
import type { IgnoreRules, KnownKeySet } from '../scan/index.js';
import { gitDirOf, OID_BYTES } from './git-index.js';
import type { FileFinding } from './scan-files.js';

declare const SIGNUS_ENGINE_ID: string | undefined;
/**
 * The bundle's digest of its own sources (shared/build.mjs). Run from sources (tests, other bundles) there
 * is none, and a per-process id means no other process's cache is ever reused.
 */
const ENGINE_ID = typeof SIGNUS_ENGINE_ID === 'string' ? SIGNUS_ENGINE_ID : `dev-${randomBytes(8).toString('hex')}`;

export const CACHE_FILE = join('signus', 'scan-cache-v2');
const FORMAT = 'signus-scan-cache';
const VERSION = 2;

/** How a file was read: text (UTF-8), UTF-16 text, binary (not scanned), or over the size limit. */
export type CachedKind = 'text' | 'utf16' | 'binary' | 'too-large';
const KINDS: readonly CachedKind[] = ['text', 'utf16', 'binary', 'too-large'];

export interface CachedFile {
  size: number;
  kind: CachedKind;
  /** Without `path`, which the entry's own path gives. */
  findings: Omit<FileFinding, 'path'>[];
  /** Findings past the per-file cap. */
  omitted: number;
}

export interface ScopeInputs {
  root: string;
  /** The per-user signing secret (created on first use, mode 600); e.g. the config directory's signus/scan-cache.key. */
  keyFile: string;
  gitDir: string;
  knownKeys: KnownKeySet | undefined;
  ignore: IgnoreRules | undefined;
  maxFileBytes: number;
}

/**
 * Everything besides the file that decides its findings. The git directory's device and inode make a
 * cache copied with the repository (a tarball of a work tree, `cp -r`) foreign, hence ignored.
 */
function scopeOf(inputs: ScopeInputs): string {
  const dir = statSync(inputs.gitDir);
  const known = inputs.knownKeys ? [...inputs.knownKeys.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  const revoked = inputs.knownKeys?.revokedLabels ? [...inputs.knownKeys.revokedLabels].sort() : [];
  const fingerprints = inputs.ignore ? [...inputs.ignore.fingerprints].sort() : [];
  return createHash('sha256')
    .update(
      JSON.stringify({
        engine: ENGINE_ID,
        root: inputs.root,
        gitDir: [inputs.gitDir, dir.dev, dir.ino],
        max: inputs.maxFileBytes,
        known,
        revoked,
        fingerprints,
      }),
    )
    .digest('hex');
}

const FINGERPRINT = /^[0-9a-f]{64}$/;
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
const FINDING_FIELDS = new Set([
  'ruleId',
  'severity',
  'message',
  'line',
  'column',
  'endLine',
  'endColumn',
  'offset',
  'length',
  'masked',
  'fingerprint',
  'knownKeyLabel',
  'encoding',
  'revoked',
  'snippet',
]);

/** Strings a report may show: nothing key-shaped left unmasked (what redact() would change). */
const safeText = (s: unknown): s is string => typeof s === 'string' && redact(s) === s;

function validFinding(f: unknown): boolean {
  if (typeof f !== 'object' || f === null || Array.isArray(f)) return false;
  const o = f as Record<string, unknown>;
  if (Object.keys(o).some((k) => !FINDING_FIELDS.has(k))) return false;
  return (
    typeof o.ruleId === 'string' &&
    (o.severity === 'error' || o.severity === 'warning') &&
    safeText(o.message) &&
    ['line', 'column', 'endLine', 'endColumn', 'offset', 'length'].every((k) => isCount(o[k])) &&
    safeText(o.masked) &&
    typeof o.fingerprint === 'string' &&
    FINGERPRINT.test(o.fingerprint) &&
    (o.knownKeyLabel === undefined || safeText(o.knownKeyLabel)) &&
    (o.encoding === undefined || ['plain', 'base64', 'url', 'json'].includes(o.encoding as string)) &&
    (o.revoked === undefined || o.revoked === true) &&
    safeText(o.snippet)
  );
}

/** Findings of one blob: [findings, omitted]. */
type Found = [findings: Omit<FileFinding, 'path'>[], omitted: number];

const validFound = (r: unknown): r is Found =>
  Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && (r[0] as unknown[]).every(validFinding) && isCount(r[1]);

/**
 * The file: `<HMAC, hex>\n<header JSON>\n<table>`. The header holds the format, the scope, the row count and
 * the findings of the few blobs that have any (by row); the table, column after column, the blob ids
 * (20 bytes each), sizes (float64) and kinds (1 byte). Blobs with no finding, most of a tree, cost 29
 * bytes each and no parsing.
 */
interface Header {
  format: string;
  version: number;
  scope: string;
  rows: number;
  found: Record<string, unknown>;
}

/**
 * Blob id → what scanning it gave, in typed arrays with an open-addressing hash on the id's first four
 * bytes (already uniform: a hash): no string or object per blob, so tens of thousands of rows load in a
 * millisecond and cost the garbage collector nothing.
 */
class BlobTable {
  ids: Buffer;
  sizes: Float64Array;
  kinds: Uint8Array;
  used: Uint8Array;
  found = new Map<number, Found>();
  count = 0;
  slots: Int32Array;

  constructor(capacity: number) {
    this.ids = Buffer.alloc(capacity * OID_BYTES);
    this.sizes = new Float64Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.used = new Uint8Array(capacity);
    this.slots = new Int32Array(slotsFor(capacity)).fill(-1);
  }

  /** The row of the blob whose id sits at `at` in `ids`, or -1. */
  find(ids: Buffer, at: number): number {
    const mask = this.slots.length - 1;
    for (let slot = ids.readUInt32LE(at) & mask; ; slot = (slot + 1) & mask) {
      const row = this.slots[slot]!;
      if (row === -1) return -1;
      if (this.sameId(row, ids, at)) return row;
    }
  }

  private sameId(row: number, ids: Buffer, at: number): boolean {
    const mine = this.ids;
    const base = row * OID_BYTES;
    for (let i = 0; i < OID_BYTES; i++) if (mine[base + i] !== ids[at + i]) return false;
    return true;
  }

  add(ids: Buffer, at: number, size: number, kind: number, found: Found | undefined): number {
    if (this.count === this.sizes.length) this.grow();
    const row = this.count++;
    // 20 bytes: a loop beats Buffer#copy's call into C++.
    const mine = this.ids;
    const base = row * OID_BYTES;
    for (let i = 0; i < OID_BYTES; i++) mine[base + i] = ids[at + i]!;
    this.sizes[row] = size;
    this.kinds[row] = kind;
    if (found) this.found.set(row, found);
    const mask = this.slots.length - 1;
    let slot = ids.readUInt32LE(at) & mask;
    while (this.slots[slot] !== -1) slot = (slot + 1) & mask;
    this.slots[slot] = row;
    return row;
  }

  /**
   * The table saved by save(): `rows` ids, then their sizes (float64 LE), then kinds; undefined when a
   * size, a kind or a repeated id shows it was not written by this code. One pass, no call per row: a
   * rescan loads tens of thousands of rows in a few milliseconds.
   */
  static fromColumns(table: Buffer, rows: number, found: Map<number, Found>): BlobTable | undefined {
    const t = new BlobTable(rows);
    const sizesAt = rows * OID_BYTES;
    const kindsAt = sizesAt + rows * 8;
    table.copy(t.ids, 0, 0, sizesAt);
    if (LITTLE_ENDIAN) new Uint8Array(t.sizes.buffer).set(table.subarray(sizesAt, kindsAt));
    else for (let row = 0; row < rows; row++) t.sizes[row] = table.readDoubleLE(sizesAt + row * 8);
    t.kinds.set(table.subarray(kindsAt, kindsAt + rows));
    const { ids, sizes, kinds, slots } = t;
    const mask = slots.length - 1;
    for (let row = 0; row < rows; row++) {
      const size = sizes[row]!;
      if (!(size >= 0 && size <= Number.MAX_SAFE_INTEGER && Math.floor(size) === size) || kinds[row]! >= KINDS.length)
        return undefined;
      const at = row * OID_BYTES;
      let slot = (ids[at]! | (ids[at + 1]! << 8) | (ids[at + 2]! << 16) | (ids[at + 3]! << 24)) & mask;
      for (let other = slots[slot]!; other !== -1; slot = (slot + 1) & mask, other = slots[slot]!) {
        let i = 0;
        while (i < OID_BYTES && ids[at + i] === ids[other * OID_BYTES + i]) i++;
        if (i === OID_BYTES) return undefined;
      }
      slots[slot] = row;
    }
    t.count = rows;
    t.found = found;
    return t;
  }

  private grow(): void {
    const bigger = new BlobTable(Math.max(64, this.sizes.length * 2));
    for (let row = 0; row < this.count; row++) {
      bigger.add(this.ids, row * OID_BYTES, this.sizes[row]!, this.kinds[row]!, this.found.get(row));
      bigger.used[row] = this.used[row]!;
    }
    this.ids = bigger.ids;
    this.sizes = bigger.sizes;
    this.kinds = bigger.kinds;
    this.used = bigger.used;
    this.found = bigger.found;
    this.slots = bigger.slots;
  }

  file(row: number): CachedFile {
    const [findings, omitted] = this.found.get(row) ?? [[], 0];
    return { size: this.sizes[row]!, kind: KINDS[this.kinds[row]!]!, findings, omitted };
  }
}

/** A power of two at least twice the capacity: probes stay short. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

const slotsFor = (capacity: number) => 2 ** Math.ceil(Math.log2(Math.max(16, capacity * 2)));

export class ScanCache {
  private blobs = new BlobTable(0);
  private changed = false;
  hits = 0;

  private constructor(
    private readonly file: string,
    private readonly scope: string,
    private readonly secret: Buffer,
  ) {}

  /**
   * Opens the cache of the work tree at `root`; undefined when there is no git directory. A missing,
   * corrupt, foreign or other-scope file gives an empty cache (rewritten on save).
   */
  static open(inputs: Omit<ScopeInputs, 'gitDir'> & { gitDir?: string | undefined }): ScanCache | undefined {
    const gitDir = inputs.gitDir ?? gitDirOf(inputs.root);
    if (!gitDir) return undefined;
    let scope: string;
    let secret: Buffer;
    try {
      scope = scopeOf({ ...inputs, gitDir });
      secret = userSecret(inputs.keyFile);
    } catch {
      return undefined;
    }
    const cache = new ScanCache(join(gitDir, CACHE_FILE), scope, secret);
    cache.load();
    return cache;
  }

  private load(): void {
    let header: Header;
    let table: Buffer;
    try {
      const data = readFileSync(this.file);
      const newline = data.indexOf(0x0a);
      const mac = Buffer.from(data.toString('latin1', 0, newline), 'hex');
      const body = data.subarray(newline + 1);
      const expected = this.sign(body);
      if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return;
      const end = body.indexOf(0x0a);
      header = JSON.parse(body.toString('utf8', 0, end)) as Header;
      table = body.subarray(end + 1);
    } catch {
      return;
    }
    if (typeof header !== 'object' || header === null) return;
    if (header.format !== FORMAT || header.version !== VERSION || header.scope !== this.scope) return;
    const { rows } = header;
    if (!isCount(rows) || table.length !== rows * (OID_BYTES + 8 + 1)) return;
    if (typeof header.found !== 'object' || header.found === null) return;
    // All or nothing: one bad row means the file was not written by this code.
    const found = Object.entries(header.found as Record<string, unknown>);
    if (!found.every(([row, value]) => /^\d+$/.test(row) && Number(row) < rows && validFound(value))) return;
    const foundRows = new Map(found.map(([row, value]) => [Number(row), value as Found]));
    const blobs = BlobTable.fromColumns(table, rows, foundRows);
    if (!blobs) return;
    this.blobs = blobs;
  }

  private sign(body: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }

  /** The row of the blob whose id sits at `oid` in `ids`, scanned this run or before, or -1; marks it used. */
  find(ids: Buffer, oid: number): number {
    const row = this.blobs.find(ids, oid);
    if (row === -1) return -1;
    this.hits++;
    this.blobs.used[row] = 1;
    return row;
  }

  /** Whether the blob at `row` is UTF-8 text with nothing to report (most of a tree). */
  plainText(row: number): boolean {
    return this.blobs.kinds[row] === 0 && !this.blobs.found.has(row);
  }

  size(row: number): number {
    return this.blobs.sizes[row]!;
  }

  /** What the blob at `row` (from find()) held when it was scanned. */
  answer(row: number): CachedFile {
    return this.blobs.file(row);
  }

  /** Records what the blob at `oid` in `ids` holds: the work-tree file git vouches is that blob. */
  set(ids: Buffer, oid: number, file: CachedFile): void {
    // Never write anything a report would not show: a file whose findings would need it is read next time.
    if (!file.findings.every(validFinding)) return;
    if (this.blobs.find(ids, oid) !== -1) return;
    const found: Found | undefined = file.findings.length || file.omitted ? [file.findings, file.omitted] : undefined;
    const row = this.blobs.add(ids, oid, file.size, KINDS.indexOf(file.kind), found);
    this.blobs.used[row] = 1;
    this.changed = true;
  }

  /**
   * Writes the blobs used or made by this scan (after a scan of some paths only, all of them),
   * atomically: a new file renamed over the old. Failure (read-only .git) is silent.
   */
  save(wholeTree: boolean): void {
    const { blobs } = this;
    let used = 0;
    if (wholeTree) for (let row = 0; row < blobs.count; row++) used += blobs.used[row]!;
    if (!this.changed && (!wholeTree || used === blobs.count)) return;
    const keep: number[] = [];
    for (let row = 0; row < blobs.count; row++) if (!wholeTree || blobs.used[row]) keep.push(row);
    const rows = keep.length;
    const table = Buffer.alloc(rows * (OID_BYTES + 8 + 1));
    const found: Record<string, Found> = {};
    keep.forEach((from, row) => {
      blobs.ids.copy(table, row * OID_BYTES, from * OID_BYTES, (from + 1) * OID_BYTES);
      table.writeDoubleLE(blobs.sizes[from]!, rows * OID_BYTES + row * 8);
      table[rows * (OID_BYTES + 8) + row] = blobs.kinds[from]!;
      const f = blobs.found.get(from);
      if (f) found[row] = f;
    });
    const header: Header = { format: FORMAT, version: VERSION, scope: this.scope, rows, found };
    const body = Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), table]);
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
      writeFileSync(tmp, Buffer.concat([Buffer.from(`${this.sign(body).toString('hex')}\n`), body]), {
        mode: 0o600,
        flag: 'wx',
      });
      renameSync(tmp, this.file);
      // The first format (paths and stat data as JSON) is not read any more.
      rmSync(join(this.file, '..', 'scan-cache-v1'), { force: true });
    } catch {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // Nothing was written.
      }
    }
  }
}

/** The user's signing secret, made on first use. Throws when it can be neither read nor made. */
function userSecret(file: string): Buffer {
  try {
    const secret = readFileSync(file);
    if (secret.length >= 32) return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    // Another scan made it first (or the file is too short to be ours): use what is there if it will do.
    const there = readFileSync(file);
    if (there.length >= 32) return there;
    throw new Error('no usable scan cache secret');
  }
}
