/** `signus scan PATH…`: walks the tree, skips what cannot hold a key cheaply, scans the rest. */
import { closeSync, openSync, readSync } from 'node:fs';
import { KEY_MIN_BODY_LENGTH, KEY_PREFIX } from '../key-format.js';
import {
  escapeEndsAt,
  maskedSnippet,
  scanTextCounted,
  type Finding,
  type IgnoreRules,
  type KnownKeySet,
} from '../scan/index.js';
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
  binary: number;
  tooLarge: string[];
  symlinks: number;
  ignoredByGit: number;
  ignoredBySignus: number;
  unreadable: string[];
  /** Files with more findings than are listed per file, and how many more. */
  unlisted: { path: string; count: number }[];
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
}

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
/** As git does: a NUL byte in the first 8000 bytes means binary. */
const BINARY_SNIFF_BYTES = 8000;

export async function scanTree(options: TreeScanOptions): Promise<{ findings: FileFinding[]; stats: TreeScanStats }> {
  const { root, knownKeys, ignore, maxFileBytes, onProgress } = options;
  const counts: WalkCounts = { symlinks: 0, ignoredByGit: 0 };
  const stats: TreeScanStats = {
    files: 0,
    bytes: 0,
    binary: 0,
    tooLarge: [],
    symlinks: 0,
    ignoredByGit: 0,
    ignoredBySignus: 0,
    unreadable: [],
    unlisted: [],
  };
  const hasKnown = knownKeys !== undefined && knownKeys.labels.size > 0;
  const skip = (rel: string, isDir: boolean) => {
    const ignored = ignore?.isPathIgnored(isDir ? `${rel}/` : rel) === true;
    if (ignored) stats.ignoredBySignus++;
    return ignored;
  };
  const findings: FileFinding[] = [];
  // One buffer, reused and grown as needed: keeps memory flat and spares the GC on big trees.
  let buffer = Buffer.allocUnsafe(1 << 20);
  for (const path of options.paths) {
    for (const entry of walkFiles(root, path, counts, skip)) {
      let size: number;
      try {
        // Read to EOF (no fstat: one syscall and one Stats object less per file), stopping past the limit.
        const fd = openSync(entry.absolute, 'r');
        try {
          size = 0;
          for (;;) {
            if (size === buffer.length) {
              if (size > maxFileBytes) break;
              const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxFileBytes + 1));
              buffer.copy(bigger, 0, 0, size);
              buffer = bigger;
            }
            const n = readSync(fd, buffer, size, buffer.length - size, null);
            if (n === 0) break;
            size += n;
          }
        } finally {
          closeSync(fd);
        }
      } catch {
        stats.unreadable.push(entry.relative);
        continue;
      }
      if (size > maxFileBytes) {
        stats.tooLarge.push(entry.relative);
        continue;
      }
      const bytes = buffer.subarray(0, size);
      stats.files++;
      stats.bytes += size;
      if (onProgress && (stats.files & 255) === 0) onProgress(stats);
      if (bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0) !== -1) {
        stats.binary++;
        continue;
      }
      if (!mayHoldFinding(bytes, hasKnown)) continue;
      const text = bytes.toString('utf8');
      const { findings: found, omitted } = scanTextCounted(text, { path: entry.relative, knownKeys, ignore });
      for (const f of found) findings.push({ ...f, path: entry.relative, snippet: maskedSnippet(text, f, found) });
      if (omitted > 0) stats.unlisted.push({ path: entry.relative, count: omitted });
    }
  }
  stats.symlinks = counts.symlinks;
  stats.ignoredByGit = counts.ignoredByGit;
  return { findings, stats };
}

const SK = Buffer.from(KEY_PREFIX);
const B64_SK = Buffer.from('c2tf');

function byteTable(chars: string, invert = false): Uint8Array {
  const table = new Uint8Array(256).fill(invert ? 1 : 0);
  for (const c of chars) table[c.charCodeAt(0)] = invert ? 0 : 1;
  return table;
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Key body bytes `[A-Za-z0-9_-]`. */
const BODY = byteTable(`${ALNUM}_-`);
const BASE64 = byteTable(`${ALNUM}+/_-`);
/** What an encoded key may contain: anything but white space. */
const WIDE = byteTable(' \t\r\n\f\v', true);

/**
 * The rules' test on raw bytes, so a file is decoded only when it may hold a finding. Key-shaped: `sk_`
 * not glued to a word (`task_`, `disk_` are common in code) and followed by 20 body bytes; escaped
 * boundaries (`%20sk_`, `\\nsk_`, `\\u0022sk_`) let the file through and scanText decides. With known keys: any `sk_`
 * followed by 20 bytes that are not white space, or `c2tf` (base64 of `sk_`) followed by 27 base64 bytes.
 */
function mayHoldFinding(bytes: Buffer, hasKnown: boolean): boolean {
  for (let at = bytes.indexOf(SK); at !== -1; at = bytes.indexOf(SK, at + 3)) {
    if (hasKnown) {
      if (runLength(bytes, at + 3, WIDE, KEY_MIN_BODY_LENGTH) >= KEY_MIN_BODY_LENGTH) return true;
      continue;
    }
    const before = at > 0 ? bytes[at - 1]! : 0x20;
    if (BODY[before] === 1 && !escapeEndsAt((i) => (i >= 0 ? bytes[i]! : NaN), at)) continue;
    if (runLength(bytes, at + 3, BODY, KEY_MIN_BODY_LENGTH) >= KEY_MIN_BODY_LENGTH) return true;
  }
  if (hasKnown) {
    for (let at = bytes.indexOf(B64_SK); at !== -1; at = bytes.indexOf(B64_SK, at + 4)) {
      if (runLength(bytes, at + 4, BASE64, 27) >= 27) return true;
    }
  }
  return false;
}

function runLength(bytes: Buffer, from: number, table: Uint8Array, enough: number): number {
  let n = 0;
  for (let i = from; i < bytes.length && table[bytes[i]!] === 1 && n < enough; i++) n++;
  return n;
}
