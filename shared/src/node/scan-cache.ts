/**
 * The tree scan's rescan cache: what scanning a tracked file found, kept under the repository's git
 * directory and used again while git vouches that the file is the one the index recorded (same blob,
 * same stat data, not listed by `git diff-files`). Keyed, as a whole, by everything else that changes the
 * answer: the engine build, the known keys, .signusignore's fingerprints, the size limit, and this
 * repository on this machine. The file is signed with a per-user secret kept outside the repository
 * (keyFile), so a cache written by anyone else (shipped with a copied repository, planted in a shared
 * .git) is ignored, as is anything unexpected in it: never trusted. It holds what the report shows
 * (masked snippets, fingerprints), never a key.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { redact } from '../mask.js';
import type { IgnoreRules, KnownKeySet } from '../scan/index.js';
import type { FileFinding } from './scan-files.js';

declare const SIGNUS_ENGINE_ID: string | undefined;
/**
 * The bundle's digest of its own sources (shared/build.mjs). Run from sources (tests, other bundles) there
 * is none, and a per-process id means no other process's cache is ever reused.
 */
const ENGINE_ID = typeof SIGNUS_ENGINE_ID === 'string' ? SIGNUS_ENGINE_ID : `dev-${randomBytes(8).toString('hex')}`;

export const CACHE_FILE = join('signus', 'scan-cache-v1');
const FORMAT = 'signus-scan-cache';
const VERSION = 1;

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

/**
 * Everything besides the file that decides its findings. The git directory's device and inode make a
 * cache copied with the repository (a tarball of a work tree, `cp -r`) foreign, hence ignored.
 */
function scopeOf(inputs: ScopeInputs): string {
  const dir = statSync(inputs.gitDir);
  const known = inputs.knownKeys ? [...inputs.knownKeys.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  const fingerprints = inputs.ignore ? [...inputs.ignore.fingerprints].sort() : [];
  return createHash('sha256')
    .update(
      JSON.stringify({
        engine: ENGINE_ID,
        root: inputs.root,
        gitDir: [inputs.gitDir, dir.dev, dir.ino],
        max: inputs.maxFileBytes,
        known,
        fingerprints,
      }),
    )
    .digest('hex');
}

type Row = [
  path: string,
  key: string,
  size: number,
  kind: CachedKind,
  findings: Omit<FileFinding, 'path'>[],
  omitted: number,
];

const HEX40 = /^[0-9a-f]{40}(?:[0-9a-f]{24})? [0-9: ]+$/;
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
    safeText(o.snippet)
  );
}

function validRow(r: unknown): r is Row {
  return (
    Array.isArray(r) &&
    r.length === 6 &&
    typeof r[0] === 'string' &&
    typeof r[1] === 'string' &&
    HEX40.test(r[1]) &&
    isCount(r[2]) &&
    KINDS.includes(r[3] as CachedKind) &&
    Array.isArray(r[4]) &&
    (r[4] as unknown[]).every(validFinding) &&
    isCount(r[5])
  );
}

export class ScanCache {
  private readonly old = new Map<string, Row>();
  private readonly next = new Map<string, Row>();
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
  static open(inputs: Omit<ScopeInputs, 'gitDir'>): ScanCache | undefined {
    const gitDir = gitDirOf(inputs.root);
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
    let data: unknown;
    try {
      const text = readFileSync(this.file, 'latin1');
      const newline = text.indexOf('\n');
      const mac = Buffer.from(text.slice(0, newline), 'hex');
      const body = Buffer.from(text.slice(newline + 1), 'latin1');
      const expected = this.sign(body);
      if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return;
      data = JSON.parse(body.toString('utf8'));
    } catch {
      return;
    }
    if (typeof data !== 'object' || data === null) return;
    const o = data as Record<string, unknown>;
    if (o.format !== FORMAT || o.version !== VERSION || o.scope !== this.scope || !Array.isArray(o.files)) return;
    const rows = o.files as unknown[];
    // All or nothing: one bad row means the file was not written by this code.
    if (!rows.every(validRow)) return;
    for (const row of rows) this.old.set(row[0], row);
  }

  private sign(body: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }

  /** `path`: the exact bytes of the path as Latin-1; `key`: the blob id and stat data git vouches for. */
  get(path: string, key: string): CachedFile | undefined {
    const row = this.old.get(path);
    if (!row || row[1] !== key) return undefined;
    this.hits++;
    this.next.set(path, row);
    return { size: row[2], kind: row[3], findings: row[4], omitted: row[5] };
  }

  set(path: string, key: string, file: CachedFile): void {
    // Never write anything a report would not show: a file whose findings would need it is read next time.
    if (!file.findings.every(validFinding)) return;
    this.next.set(path, [path, key, file.size, file.kind, file.findings, file.omitted]);
    this.changed = true;
  }

  /**
   * Writes the entries used or made by this scan (plus, after a scan of some paths only, the others
   * already there), atomically: a new file renamed over the old. Failure (read-only .git) is silent.
   */
  save(wholeTree: boolean): void {
    if (!wholeTree) for (const [path, row] of this.old) if (!this.next.has(path)) this.next.set(path, row);
    if (!this.changed && this.next.size === this.old.size) return;
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
      const body = Buffer.from(
        JSON.stringify({ format: FORMAT, version: VERSION, scope: this.scope, files: [...this.next.values()] }),
      );
      writeFileSync(tmp, Buffer.concat([Buffer.from(`${this.sign(body).toString('hex')}\n`), body]), {
        mode: 0o600,
        flag: 'wx',
      });
      renameSync(tmp, this.file);
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
