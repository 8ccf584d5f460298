/**
 * `signus scan --staged`, and the pre-commit hook's fixed form of it (`runHookScan`). Kept apart from
 * scan.ts so the hook's own bundle (src/cli/hook-bin.ts) holds only this path: no argument parser, no
 * JSON, SARIF or GitLab formatter, no verification, history or incident code to compile on every commit.
 */
import { existsSync, readSync } from 'node:fs';
import { displayName } from '../../safe-text.js';
import { isInBaseline, MAX_FINDINGS_PER_FILE, type Baseline } from '../../scan/index.js';
import { DEFAULT_MAX_FILE_BYTES, openScanContext, type ScanContext } from '../../node/scan-context.js';
import type { FileFinding } from '../../node/scan-files.js';
import type { FindingSource } from '../../node/finding-source.js';
import { completedDiff, scanStaged } from '../../node/staged.js';
import { EXIT, UsageError, type Io } from '../io.js';
import { plural } from '../words.js';
import type { ReportFinding, ScanSummary } from '../scan-report.js';
import { textReport } from '../scan-report-text.js';
import { withoutBaselined } from '../scan-verify.js';

/** Any of our own file errors is the user's to fix: report it as a usage error (exit 2), message as is. */
export function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

/** A monotonic clock. Not `performance.now()`: its first use loads perf_hooks (~2 ms on every commit). */
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export const names = (paths: readonly string[]) =>
  `${paths.slice(0, 3).map(displayName).join(', ')}${paths.length > 3 ? ', …' : ''}`;

/** A file with thousands of findings lists the first MAX_FINDINGS_PER_FILE and counts the rest. */
export function unlistedNotes(unlisted: readonly { path: string; count: number }[]): string[] {
  return unlisted.map(
    (u) =>
      `${plural(u.count, 'more finding')} in ${displayName(u.path)} not listed (${MAX_FINDINGS_PER_FILE} per file at most)`,
  );
}

/** The findings not recorded in the baseline; counts the others in `summary.baselined`. */
export function withoutBaseline<T extends ReportFinding>(
  findings: readonly T[],
  baseline: Baseline,
  summary: ScanSummary,
  allowLiveBaselined: boolean,
): T[] {
  const result = withoutBaselined(findings, (f) => isInBaseline(baseline, f.path, f.fingerprint), allowLiveBaselined);
  summary.baselined = result.baselined;
  return result.kept;
}

/** The staged scan: what the next commit adds, from git or (`diffStdin`, the hook) from standard input. */
export async function stagedScan(
  io: Io,
  cwd: string,
  context: ScanContext,
  diffStdin: boolean,
): Promise<{ findings: FileFinding[]; summary: ScanSummary; source: FindingSource }> {
  const { knownKeys, knownKeysFile, ignore } = context;
  const input = diffStdin ? await readAllStdin(io) : undefined;
  const given = input ? asUsage(() => completedDiff(input)) : undefined;
  const result = await scanStaged(cwd, { knownKeys, ignore, diff: given?.diff }).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  const skipped: string[] = [];
  const notRead: string[] = [];
  if (result.stats.binary.length)
    notRead.push(`${plural(result.stats.binary.length, 'binary file')} (${names(result.stats.binary)})`);
  if (result.stats.submodules)
    notRead.push(
      `${plural(result.stats.submodules, 'submodule change')} not scanned (each submodule guards its own commits)`,
    );
  if (result.stats.merge) skipped.push('merge: lines already on a merged branch are not re-reported');
  if (given?.keyLikeOnly) skipped.push('git found no key-like line in any other staged file');
  skipped.push(...unlistedNotes(result.stats.unlisted));
  const summary: ScanSummary = {
    mode: 'staged',
    // git gives every hook GIT_INDEX_FILE; a person running `scan --staged` by hand usually has none.
    inHook: diffStdin || io.env.GIT_INDEX_FILE !== undefined,
    root: result.top,
    files: result.stats.files,
    addedLines: result.stats.addedLines,
    durationMs: 0,
    notRead,
    skipped,
    baselined: 0,
    knownKeysFile,
  };
  return { findings: result.findings, summary, source: { kind: 'index', top: result.top } };
}

/**
 * The hook's command, `signus scan --staged --diff-stdin` with nothing else: the same context, findings,
 * baseline and text report as runScan gives for those arguments (scan-hook-entry.test.ts compares them).
 */
export async function runHookScan(io: Io, cwd = process.cwd()): Promise<number> {
  if (!existsSync(cwd)) throw new UsageError(`no such file or directory: ${displayName(cwd)}`);
  const context = asUsage(() => openScanContext(cwd, { maxFileBytes: DEFAULT_MAX_FILE_BYTES, env: io.env, cwd }));
  const started = nowMs();
  const { findings, summary } = await stagedScan(io, cwd, context, true);
  summary.durationMs = Math.round(nowMs() - started);
  const reported: ReportFinding[] = context.baseline
    ? withoutBaseline(findings, context.baseline, summary, false)
    : findings;
  io.out(textReport({ findings: reported, summary }, { color: io.color, cwd }));
  return reported.length > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * Standard input to its end (a pipe from git, in the hook). Read synchronously while the pipe allows,
 * a megabyte at a time, and joined once at the end (a diff under a megabyte is not copied at all;
 * growing one buffer by doubling copied a 10 MB diff one and a half times over). If the pipe is
 * non-blocking and runs dry (EAGAIN), the rest is read as a stream, keeping what was read.
 */
async function readAllStdin(io: Io): Promise<Buffer> {
  const CHUNK = 1 << 20;
  const chunks: Buffer[] = [];
  let buffer = Buffer.allocUnsafe(CHUNK);
  let size = 0;
  for (;;) {
    if (size === buffer.length) {
      chunks.push(buffer);
      buffer = Buffer.allocUnsafe(CHUNK);
      size = 0;
    }
    let n: number;
    try {
      n = readSync(0, buffer, size, buffer.length - size, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') break;
      if (code === 'EOF') return joined(chunks, buffer.subarray(0, size)); // Windows, at the end of a pipe
      throw new UsageError(`cannot read the diff from standard input: ${code ?? (error as Error).message}`);
    }
    if (n === 0) return joined(chunks, buffer.subarray(0, size));
    size += n;
  }
  chunks.push(buffer.subarray(0, size));
  for await (const chunk of io.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const joined = (chunks: Buffer[], last: Buffer): Buffer =>
  chunks.length === 0 ? last : Buffer.concat([...chunks, last]);
