import { existsSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { displayName, quoteText } from '../../index.js';
import { createBaseline, serializeBaseline, type KnownKeySet } from '../../scan/index.js';
import { BASELINE_FILE_NAME, DEFAULT_MAX_FILE_BYTES, openKnownKeys, openScanContext } from '../../node/scan-context.js';
import { scanTree, type FileFinding, type TreeScanStats } from '../../node/scan-files.js';
import { scanCacheKeyFile } from '../../node/known-keys-file.js';
import { EXIT, UsageError, type Io } from '../io.js';
import { plural } from '../words.js';
import { jsonReport, type ReportFinding, type ScanReport, type ScanSummary } from '../scan-report.js';
import { VERIFY_ARG_OPTIONS, verifyFindings, verifyOptions } from '../scan-verify.js';
import type { FindingSource } from '../../node/finding-source.js';
import { sarifReport } from '../scan-report-sarif.js';
import { gitlabReport } from '../scan-report-gitlab.js';
import { tryGitText } from '../../node/git.js';
import { textReport } from '../scan-report-text.js';
import { HISTORY_FLAGS, runHistoryScan } from './scan-history.js';
import { asUsage, names, nowMs, stagedScan, unlistedNotes, withoutBaseline } from './scan-staged.js';

export const SCAN_HELP = `Usage: signus scan [PATH...] [options]
       signus scan --staged [options]
       signus scan --history | --range A..B | --ci [options]   (see signus scan --history --help)

Looks for Signus API keys. With PATHs (default: the current directory) it scans the tree, honouring
.gitignore, skipping binary files, files over the size limit and symbolic links. With --staged it
scans exactly what the next commit adds: the index, only added lines (this is what the git hook runs).

Options:
  --staged                 Scan the lines the next commit adds.
  --format FORMAT          text (default), json, sarif (SARIF 2.1.0, for GitHub code scanning) or gitlab
                           (GitLab's secret-detection report, gl-secret-detection-report.json).
  --known-keys FILE        Fingerprints of your own keys (default: ${'$'}SIGNUS_KNOWN_KEYS, else the per-user
                           config file signus/known-keys.json; see docs/leak-guard.md).
  --no-known-keys          Do not read any known-keys file.
  --baseline FILE          Report only findings not recorded in this baseline (default: ${BASELINE_FILE_NAME}
                           at the project root, if there is one; the editor and the hook read it too).
  --write-baseline FILE    Record the current findings in FILE and exit 0 (adopting the guard on an old repo).
  --max-file-size SIZE     Skip larger files (default 5MB; accepts 500KB, 2MB, or bytes).
  --no-cache               Read every file. By default, in a git work tree, tracked files git reports
                           unchanged since an earlier scan are answered from the scan cache in the git
                           directory instead of being read again (--cache says so explicitly).
  --diff-stdin             With --staged: read git's diff from standard input (the hook runs git itself).
  --verify                 Check each distinct key found once with the key test's request and label its
                           findings live (2xx), other-workspace (403), revoked (401) or unknown. Sends the
                           keys to the base URL below, and only there; never done without this option.
  --account-id ID          With --verify: the Account ID to test against (default SIGNUS_ACCOUNT_ID, else a
                           UUID assigned next to the key, e.g. ACCOUNT_ID=<uuid>, within 5 lines).
  --base-url URL           With --verify: the API (default SIGNUS_BASE_URL, else https://api.signus.ai).
  --verify-timeout SEC     With --verify: give up on a key after this long (default 10).
  --allow-live-baselined   With --verify and --baseline: let the baseline silence a live key too.
  -h, --help               Show this help.

Not findings: placeholders (sk_..., sk_your_key_here, sk_xxxx…), a line with a "signus:allow" comment,
the line after "signus:allow-next-line", and paths or fingerprints listed in .signusignore.

Exit codes: 0 nothing found; 1 findings; 2 error (bad usage, not a git repository, bad file).
`;

const FORMATS = ['text', 'json', 'sarif', 'gitlab'] as const;
type Format = (typeof FORMATS)[number];

declare const SIGNUS_VERSION: string | undefined;
const version = typeof SIGNUS_VERSION === 'string' ? SIGNUS_VERSION : '0.0.0-dev';

export function parseSize(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(raw.trim());
  if (!m) throw new UsageError(`--max-file-size must be a size like 500KB, 2MB or 1048576, not ${quoteText(raw)}.`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * factor);
}

/** --known-keys / --no-known-keys, as every scan mode reads them (the same resolution as openScanContext). */
export function loadKnownKeysOption(
  values: { 'known-keys'?: string | undefined; 'no-known-keys'?: boolean | undefined },
  io: Io,
  cwd: string,
): { knownKeys: KnownKeySet | undefined; knownKeysFile: string | null } {
  return asUsage(() => openKnownKeys(knownKeysOption(values, cwd), io.env, cwd));
}

function knownKeysOption(
  values: { 'known-keys'?: string | undefined; 'no-known-keys'?: boolean | undefined },
  cwd: string,
): string | false | undefined {
  if (values['no-known-keys']) return false;
  return values['known-keys'] !== undefined ? resolve(cwd, values['known-keys']) : undefined;
}

export async function runScan(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  if (args.some((a) => HISTORY_FLAGS.test(a))) return runHistoryScan(args, io, cwd);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      staged: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      'known-keys': { type: 'string' },
      'no-known-keys': { type: 'boolean', default: false },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
      'max-file-size': { type: 'string' },
      'diff-stdin': { type: 'boolean', default: false },
      cache: { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      ...VERIFY_ARG_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(SCAN_HELP);
    return EXIT.ok;
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${quoteText(values.format ?? '')}.`);
  if (values.staged && positionals.length > 0) throw new UsageError('--staged scans the index; it takes no PATH.');
  if (values['diff-stdin'] && !values.staged) throw new UsageError('--diff-stdin goes with --staged.');
  if (values.cache && values.staged) throw new UsageError('--cache goes with a tree scan; --staged reads the index.');
  if (values.cache && values['no-cache']) throw new UsageError('--cache and --no-cache contradict each other.');
  const verify = verifyOptions(values, io.env);
  const maxFileBytes =
    values['max-file-size'] !== undefined ? parseSize(values['max-file-size']) : DEFAULT_MAX_FILE_BYTES;

  // Every surface opens the project the same way (shared/src/node/scan-context.ts). An explicit
  // --known-keys or --baseline file must exist; the defaults are optional.
  const start = values.staged ? cwd : resolve(cwd, positionals[0] ?? '.');
  if (!existsSync(start))
    throw new UsageError(`no such file or directory: ${displayName(relative(cwd, start) || start)}`);
  const context = asUsage(() =>
    openScanContext(start, {
      knownKeys: knownKeysOption(values, cwd),
      baseline: values.baseline !== undefined ? resolve(cwd, values.baseline) : undefined,
      maxFileBytes,
      env: io.env,
      cwd,
    }),
  );
  const { knownKeys, knownKeysFile, ignore, baseline, root } = context;

  const started = nowMs();
  const startedAt = Date.now();
  let findings: FileFinding[];
  let summary: ScanSummary;
  let source: FindingSource;
  if (values.staged) {
    const result = await stagedScan(io, cwd, context, values['diff-stdin']);
    findings = result.findings;
    source = result.source;
    summary = result.summary;
  } else {
    const targets = (positionals.length ? positionals : ['.']).map((p) => resolve(cwd, p));
    for (const t of targets)
      if (!existsSync(t)) throw new UsageError(`no such file or directory: ${displayName(relative(cwd, t) || t)}`);
    for (const t of targets) {
      const rel = relative(root, t);
      if (rel.startsWith('..') || isAbsolute(rel))
        throw new UsageError(`${displayName(t)} is outside the project ${displayName(root)}; scan it separately.`);
    }
    const progress = io.stderrIsTty ? progressPrinter(io) : undefined;
    const result = await scanTree({
      root,
      paths: targets,
      knownKeys,
      ignore,
      maxFileBytes,
      cache: values['no-cache'] ? undefined : { keyFile: scanCacheKeyFile(io.env) },
      ...(progress && { onProgress: progress.update }),
    });
    progress?.done();
    findings = result.findings;
    source = { kind: 'worktree', root };
    summary = {
      mode: 'tree',
      root,
      files: result.stats.files,
      bytes: result.stats.bytes,
      durationMs: 0,
      ...treeNotes(result.stats, maxFileBytes),
      baselined: 0,
      knownKeysFile,
    };
  }
  summary.durationMs = Math.round(nowMs() - started);

  if (values['write-baseline'] !== undefined) {
    const file = resolve(cwd, values['write-baseline']);
    writeFileSync(file, serializeBaseline(createBaseline(findings)));
    io.err(
      `Wrote ${plural(findings.length, 'finding')} to the baseline ${displayName(relative(cwd, file) || file)}. Later scans ${file === join(root, BASELINE_FILE_NAME) ? '(and the editor and the hook, which read it at the project root)' : `with --baseline ${displayName(relative(cwd, file) || file)}`} report only new ones.\n`,
    );
    return EXIT.ok;
  }
  let verified: Awaited<ReturnType<typeof verifyFindings>> | undefined;
  if (verify) {
    if (verify.warning) io.err(`warning: ${verify.warning}\n`);
    verified = await verifyFindings(findings, source, verify);
    summary.verification = verified.summary;
  }
  let reported: ReportFinding[] = findings.map((f) => {
    const verification = verified?.verifications.get(f);
    return verification ? { ...f, verification } : f;
  });
  if (baseline) reported = withoutBaseline(reported, baseline, summary, verify?.allowLiveBaselined ?? false);

  const report: ScanReport = { findings: reported, summary };
  if (format === 'json') io.out(jsonReport(report, version));
  else if (format === 'sarif') io.out(sarifReport(report, version));
  else if (format === 'gitlab') {
    // GitLab files every finding under a commit: the pipeline's, else HEAD (a tree or staged scan has no other).
    const commit =
      io.env.CI_COMMIT_SHA ??
      (await tryGitText(['rev-parse', 'HEAD'], cwd)) ??
      '0000000000000000000000000000000000000000';
    const items = reported.map((f) => ({ ...f, commit }));
    io.out(gitlabReport(items, version, { startedAt: new Date(startedAt), finishedAt: new Date() }));
  } else io.out(textReport(report, { color: io.color, cwd }));
  return reported.length > 0 ? EXIT.failed : EXIT.ok;
}

/** What the tree scan did not read (never hidden behind a plain "no keys found"), then other notes. */
function treeNotes(stats: TreeScanStats, maxFileBytes: number): { notRead: string[]; skipped: string[] } {
  const notRead: string[] = [];
  const notes: string[] = [];
  if (stats.git) {
    const g = stats.git;
    notes.push(
      `git work tree: ${plural(g.tracked, 'tracked file')}${g.forceAdded.length ? ` (${g.forceAdded.length} matching .gitignore, force-added: ${names(g.forceAdded)})` : ''} and ${plural(g.untracked, 'untracked file')} not ignored`,
    );
    if (g.submodules) notRead.push(`${plural(g.submodules, 'submodule')} (scan each on its own)`);
    if (g.deleted) notes.push(`${plural(g.deleted, 'tracked file')} deleted in the work tree`);
  }
  if (stats.cached)
    notes.push(
      `${plural(stats.cached, 'unchanged tracked file')} answered from the scan cache, not read again (--no-cache reads every file)`,
    );
  if (stats.utf16) notes.push(`${plural(stats.utf16, 'UTF-16 file')} decoded`);
  if (stats.binary.length) notRead.push(`${plural(stats.binary.length, 'binary file')} (${names(stats.binary)})`);
  if (stats.tooLarge.length) {
    const mb = (maxFileBytes / 1024 / 1024).toFixed(maxFileBytes % (1024 * 1024) === 0 ? 0 : 1);
    notRead.push(
      `${plural(stats.tooLarge.length, 'file')} over ${mb} MB (${names(stats.tooLarge)}; raise --max-file-size to scan)`,
    );
  }
  if (stats.symlinks) notRead.push(`${plural(stats.symlinks, 'symbolic link')} (not followed)`);
  if (stats.unreadable.length)
    notRead.push(`${plural(stats.unreadable.length, 'unreadable file')} (${names(stats.unreadable)})`);
  if (stats.ignoredByGit) notes.push(`${plural(stats.ignoredByGit, 'path')} ignored by .gitignore`);
  if (stats.ignoredBySignus) notes.push(`${plural(stats.ignoredBySignus, 'path')} ignored by .signusignore`);
  notes.push(...unlistedNotes(stats.unlisted));
  return { notRead, skipped: notes };
}

function progressPrinter(io: Io): { update: (stats: TreeScanStats) => void; done: () => void } {
  let last = 0;
  let shown = false;
  return {
    update: (stats) => {
      const now = nowMs();
      if (now - last < 100) return;
      last = now;
      shown = true;
      io.err(`\r\x1b[2Kscanning… ${stats.files} files, ${(stats.bytes / 1024 / 1024).toFixed(1)} MB`);
    },
    done: () => {
      if (shown) io.err('\r\x1b[2K');
    },
  };
}
