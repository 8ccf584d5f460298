/**
 * One way to open a project's scan context, used by every surface (the editor squiggle, Scan Workspace,
 * `signus scan`, `signus scan --staged` and the hook), so the same text gets the same answer everywhere:
 * the same rules (the one engine), `.signusignore`, baseline, known keys, size limit and binary test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  isInBaseline,
  looksBinary,
  parseBaseline,
  scanText,
  type Baseline,
  type Finding,
  type IgnoreRules,
  type KnownKeySet,
} from '../scan/index.js';
import { displayName } from '../safe-text.js';
import { withRevokedKeys } from '../scan/index.js';
import { defaultKnownKeysPath, readKnownKeys } from './known-keys-file.js';
import { readRevokedKeys, revokedKeysPath } from './revoked-keys-file.js';
import { findProjectRoot, loadIgnoreFile } from './project.js';

/** Read by every surface when it is at the project root; `signus scan --baseline FILE` names another. */
export const BASELINE_FILE_NAME = '.signus-baseline.json';
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface ScanLimits {
  /** Larger files are not scanned (and the summary says so). */
  maxFileBytes: number;
}

export interface ScanContext {
  /** The project root: the nearest directory with `.git` at or above the start. */
  root: string;
  ignore: IgnoreRules | undefined;
  baseline: Baseline | undefined;
  /** Where the baseline came from, if any. */
  baselineFile: string | null;
  knownKeys: KnownKeySet | undefined;
  /** Where the known keys came from, if any. */
  knownKeysFile: string | null;
  limits: ScanLimits;
}

export interface OpenScanContextOptions {
  /**
   * Known keys: a file (must exist), `false` for none, a set already in memory (the VS Code extension's,
   * the same content it writes to the file), or by default the per-user file if present
   * ($SIGNUS_KNOWN_KEYS, else the config directory's signus/known-keys.json).
   */
  knownKeys?: string | false | KnownKeySet | undefined;
  /** A baseline file (must exist); by default `.signus-baseline.json` at the root if present. */
  baseline?: string | undefined;
  maxFileBytes?: number | undefined;
  env?: NodeJS.ProcessEnv;
  /** Relative paths (options, $SIGNUS_KNOWN_KEYS) are taken from here; default process.cwd(). */
  cwd?: string;
}

export class ScanContextError extends Error {
  override readonly name = 'ScanContextError';
}

function readBaseline(file: string, explicit: boolean): Baseline | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!explicit && code === 'ENOENT') return undefined;
    throw new ScanContextError(
      code === 'ENOENT'
        ? `the baseline ${displayName(file)} does not exist. Create it with --write-baseline ${displayName(file)}.`
        : `cannot read the baseline ${displayName(file)} (${code ?? (error as Error).message}).`,
    );
  }
  try {
    return parseBaseline(text);
  } catch (error) {
    throw new ScanContextError(`${displayName(file)}: ${(error as Error).message}`);
  }
}

/** The known keys every surface reads, from the option of OpenScanContextOptions.knownKeys. */
export function openKnownKeys(
  known: OpenScanContextOptions['knownKeys'],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): { knownKeys: KnownKeySet | undefined; knownKeysFile: string | null } {
  if (typeof known === 'object') return { knownKeys: known, knownKeysFile: null };
  if (known === false) return { knownKeys: undefined, knownKeysFile: null };
  const file = resolve(cwd, known ?? defaultKnownKeysPath(env));
  // Keys an incident confirmed revoked (the file beside the known keys) are found and named as such.
  const revoked = () => readRevokedKeys(revokedKeysPath(file));
  if (known === undefined && !existsSync(file))
    return { knownKeys: withRevokedKeys(undefined, revoked()), knownKeysFile: null };
  return { knownKeys: withRevokedKeys(readKnownKeys(file), revoked()), knownKeysFile: file };
}

/** A baseline file (must exist), or by default `.signus-baseline.json` at `root` if present. */
export function openBaseline(
  file: string | undefined,
  root: string,
  cwd: string = process.cwd(),
): { baseline: Baseline | undefined; baselineFile: string | null } {
  const path = file !== undefined ? resolve(cwd, file) : join(root, BASELINE_FILE_NAME);
  const baseline = readBaseline(path, file !== undefined);
  return { baseline, baselineFile: baseline ? path : null };
}

/** Opens the context of the project that holds `start`. Bad files throw with a message naming them. */
export function openScanContext(start: string, options: OpenScanContextOptions = {}): ScanContext {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const root = findProjectRoot(resolve(cwd, start));
  const ignore = loadIgnoreFile(root);

  const { knownKeys, knownKeysFile } = openKnownKeys(options.knownKeys, env, cwd);

  const { baseline, baselineFile } = openBaseline(options.baseline, root, cwd);

  return {
    root,
    ignore,
    baseline,
    baselineFile,
    knownKeys,
    knownKeysFile,
    limits: { maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES },
  };
}

/** Whether a finding at `path` (relative to the root) is recorded in the context's baseline. */
export function isBaselined(context: ScanContext, path: string, finding: Finding): boolean {
  return context.baseline !== undefined && isInBaseline(context.baseline, path, finding.fingerprint);
}

/** UTF-8 length of `text` without encoding it. */
function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x800) {
      n += 2; // 3 bytes for 1 unit, or 4 for a surrogate pair's 2
      if (c >= 0xd800 && c <= 0xdbff) i++;
    } else if (c >= 0x80) n += 1;
  }
  return n;
}

export type DocumentSkip = 'ignored' | 'too-large' | 'binary';

/**
 * Text already decoded, as an editor holds it (the VS Code squiggle and Scan Workspace): the same
 * decisions as the tree scan takes on a file's bytes, in the same order: `.signusignore` path, size
 * limit, binary test, then the engine, then the baseline.
 */
export async function scanDocument(
  context: ScanContext,
  path: string,
  text: string,
): Promise<{ findings: Finding[]; skipped?: DocumentSkip }> {
  if (context.ignore?.isPathIgnored(path)) return { findings: [], skipped: 'ignored' };
  if (utf8Length(text) > context.limits.maxFileBytes) return { findings: [], skipped: 'too-large' };
  if (looksBinary(text)) return { findings: [], skipped: 'binary' };
  const found = await scanText(text, { path, knownKeys: context.knownKeys, ignore: context.ignore });
  return { findings: found.filter((f) => !isBaselined(context, path, f)) };
}
