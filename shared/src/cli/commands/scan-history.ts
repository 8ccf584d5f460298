/** `signus scan --history | --range A..B | --ci`: keys in what commits added, one finding per key. */
import { writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { displayName } from '../../index.js';
import { loadIgnoreFile } from '../../node/project.js';
import { DEFAULT_MAX_FILE_BYTES } from '../../node/scan-files.js';
import { gitText } from '../../node/git.js';
import { scanHistory, type HistorySelection } from '../../node/history/scan-history.js';
import { ciRangeFromEnv, ensureCiRange, type CiRange } from '../../node/history/ci-range.js';
import { parsePushLines, planPush, unpushedUpdates, type PushPlan } from '../../node/history/pre-push.js';
import { historyJson, historyNotes, historySarif, historyText, type HistoryReport } from '../history-report.js';
import { gitlabReport } from '../scan-report-gitlab.js';
import { EXIT, UsageError, type Io } from '../io.js';
import { plural } from '../words.js';
import { loadKnownKeysOption, parseSize } from './scan.js';
import { openBaseline } from '../../node/scan-context.js';
import { VERIFY_ARG_OPTIONS, verifyHistoryFindings, verifyOptions, withoutBaselined } from '../scan-verify.js';
import { createBaseline, isInBaseline, serializeBaseline } from '../../scan/index.js';
import type { HistoryFinding } from '../../node/history/scan-history.js';

export const HISTORY_FLAGS = /^--(history|range|ci|pre-push|unpushed)(=|$)/;

export const SCAN_HISTORY_HELP = `Usage: signus scan --history [--branch NAME] [--since DATE] [--reflog] [options]
       signus scan --range A..B [options]
       signus scan --ci [options]
       signus scan --pre-push REMOTE [URL]   (git's pre-push hook runs this; the refs come on stdin)
       signus scan --unpushed [REMOTE]       (a pre-push step of a hook manager: see below)

Scans what commits added (the lines of every file they wrote, and their messages), reading each distinct
blob once. One finding per key, with its story: the commit, author, date, path and line that first added
it; the commit that removed it (or "still in HEAD"); every local branch, tag and stash that still reaches
it; and whether a remote-tracking ref reaches it (pushed) and on which remotes.

What to scan:
  --history            Every ref (branches, tags, remote-tracking refs) and every stash entry.
    --branch NAME      Only what NAME reaches.
    --since DATE       Only commits since DATE (as git log --since: 2024-01-01, "2 weeks ago").
    --reflog           Also commits only the reflog remembers (amended or reset away).
  --range A..B         The commits B has and A has not (A..B as git rev-list takes it).
  --ci                 The range a CI run is about, from GitHub Actions, GitLab CI or Azure Pipelines
                       variables (the push's before..after, or the pull request's base..head).
                       A base the CI clone lacks is fetched from origin, and the output says so.
  --pre-push REMOTE    The commits a push would send to REMOTE that it does not have (from the lines
                       git gives the pre-push hook on stdin); findings block the push.
  --unpushed [REMOTE]  The commits of every local branch and tag (and a detached HEAD) that REMOTE's
                       remote-tracking refs do not have: what any push could send. For hook managers that
                       keep git's ref lines to themselves (the pre-commit framework, at stages: [pre-push]).
                       REMOTE defaults to $PRE_COMMIT_REMOTE_NAME. Annotated tag messages are not scanned.

Options:
  --format FORMAT      text (default), json, sarif or gitlab (secret-detection report).
  --known-keys FILE    Fingerprints of your own keys (default: the per-user known-keys file).
  --no-known-keys      Do not read any known-keys file.
  --max-file-size SIZE Skip larger blobs (default 5MB).
  --baseline FILE      Report only keys not recorded in this baseline (default: .signus-baseline.json at the
                       root if present). An entry silences a key when it names a file that added it; a key
                       only in commit messages is recorded as "(commit message)".
  --write-baseline FILE  Record the keys found in FILE and exit 0.
  --verify             Check each key found once against the API and label it live, other-workspace,
                       revoked or unknown (see signus scan --help: --account-id, --base-url,
                       --verify-timeout, --allow-live-baselined). Never done without this option.
  -h, --help           Show this help.

Exit codes: 0 nothing found; 1 findings; 2 error (bad usage, not a git repository, bad range).
`;

declare const SIGNUS_VERSION: string | undefined;
const version = typeof SIGNUS_VERSION === 'string' ? SIGNUS_VERSION : '0.0.0-dev';
const FORMATS = ['text', 'json', 'sarif', 'gitlab'];
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** A revision the user typed, refused if git could take it for an option. */
function revision(value: string, what: string): string {
  if (value === '' || value.startsWith('-') || /[\s\0]/.test(value))
    throw new UsageError(`${what} must be a revision (a branch, tag or commit), not "${value}".`);
  return value;
}

export interface ResolvedScope {
  selection: HistorySelection;
  scope: string;
  notes: string[];
}

async function resolveRange(range: string, cwd: string): Promise<ResolvedScope> {
  const m = /^(.*?)(\.\.\.?)(.*)$/.exec(range);
  if (!m || m[2] !== '..')
    throw new UsageError(`--range takes A..B (the commits B has and A has not), not "${range}".`);
  const from = revision(m[1] || 'HEAD', '--range start');
  const to = revision(m[3] || 'HEAD', '--range end');
  const ids: string[] = [];
  for (const rev of [from, to]) {
    try {
      ids.push(await gitText(['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`], cwd));
    } catch {
      throw new UsageError(`--range: "${rev}" is not a commit in this repository.`);
    }
  }
  const count = Number(await gitText(['rev-list', '--count', `${ids[0]}..${ids[1]}`], cwd));
  return {
    selection: { revs: [`${ids[0]}..${ids[1]}`], all: false },
    scope: `range ${from}..${to} (${ids[0]!.slice(0, 10)}..${ids[1]!.slice(0, 10)}, ${plural(count, 'commit')})`,
    notes: [],
  };
}

async function resolveCi(io: Io, cwd: string): Promise<ResolvedScope> {
  let range: CiRange;
  try {
    range = await ensureCiRange(cwd, ciRangeFromEnv(io.env));
  } catch (error) {
    throw new UsageError(`--ci: ${(error as Error).message}`);
  }
  const head = await gitText(['rev-parse', '--verify', '--end-of-options', `${range.head}^{commit}`], cwd);
  const base = range.base
    ? await gitText(['rev-parse', '--verify', '--end-of-options', `${range.base}^{commit}`], cwd)
    : null;
  const revs = base ? [`${base}..${head}`] : [head];
  const count = Number(await gitText(['rev-list', '--count', ...revs, '--'], cwd));
  const what = base ? `range ${base.slice(0, 10)}..${head.slice(0, 10)}` : `all history of ${head.slice(0, 10)}`;
  return {
    selection: { revs, all: false },
    scope: `${range.provider} ${range.event}: ${what} (${plural(count, 'commit')})`,
    notes: range.notes,
  };
}

async function readStdinText(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function runHistoryScan(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      history: { type: 'boolean', default: false },
      range: { type: 'string' },
      ci: { type: 'boolean', default: false },
      'pre-push': { type: 'boolean', default: false },
      unpushed: { type: 'boolean', default: false },
      branch: { type: 'string' },
      since: { type: 'string' },
      reflog: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      'known-keys': { type: 'string' },
      'no-known-keys': { type: 'boolean', default: false },
      'max-file-size': { type: 'string' },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
      ...VERIFY_ARG_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(SCAN_HISTORY_HELP);
    return EXIT.ok;
  }
  if (!FORMATS.includes(values.format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}.`);
  const modes = [values.history, values.range !== undefined, values.ci, values['pre-push'], values.unpushed].filter(
    Boolean,
  ).length;
  if (modes > 1) throw new UsageError('use one of --history, --range, --ci, --pre-push and --unpushed.');
  if (values['pre-push'] && (positionals.length < 1 || positionals.length > 2))
    throw new UsageError('--pre-push takes the remote name and URL git passes to the pre-push hook.');
  if (values.unpushed) {
    if (positionals.length > 1) throw new UsageError('--unpushed takes at most one remote.');
    if (positionals.length === 0) {
      const fromFramework = io.env.PRE_COMMIT_REMOTE_NAME;
      if (!fromFramework)
        throw new UsageError(
          '--unpushed needs the remote: signus scan --unpushed REMOTE (or $PRE_COMMIT_REMOTE_NAME).',
        );
      positionals.push(fromFramework);
    }
  }
  if (!values['pre-push'] && !values.unpushed && positionals.length)
    throw new UsageError('history scans take no PATH; use --branch or --range to narrow them.');
  if (!values.history && (values.branch !== undefined || values.since !== undefined || values.reflog))
    throw new UsageError('--branch, --since and --reflog go with --history.');
  if (values.branch !== undefined && values.reflog) throw new UsageError('--reflog covers every ref; drop --branch.');
  const maxBlobBytes =
    values['max-file-size'] !== undefined ? parseSize(values['max-file-size']) : DEFAULT_MAX_FILE_BYTES;

  const verify = verifyOptions(values, io.env);
  if ((values['pre-push'] || values.unpushed) && values['write-baseline'] !== undefined)
    throw new UsageError(
      `--write-baseline does not go with --${values.unpushed ? 'unpushed' : 'pre-push'}; write it with --history.`,
    );
  const { knownKeys, knownKeysFile } = loadKnownKeysOption(values, io, cwd);

  let top: string;
  try {
    top = await gitText(['rev-parse', '--show-toplevel'], cwd).catch(() =>
      gitText(['rev-parse', '--absolute-git-dir'], cwd),
    );
  } catch {
    throw new UsageError(`${cwd} is not inside a git repository.`);
  }
  let ignore;
  let baseline;
  try {
    ignore = loadIgnoreFile(top);
    // As every surface: --baseline FILE, else the project's .signus-baseline.json if there is one.
    ({ baseline } = openBaseline(values.baseline, top, cwd));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  let resolved: ResolvedScope;
  let prePush: PushPlan | undefined;
  if (values.range !== undefined) resolved = await resolveRange(values.range, cwd);
  else if (values.ci) resolved = await resolveCi(io, cwd);
  else if (values['pre-push'] || values.unpushed) {
    const remote = positionals[0]!;
    try {
      const updates = values.unpushed ? await unpushedUpdates(cwd) : parsePushLines(await readStdinText(io));
      prePush = await planPush(cwd, remote, updates);
      // Every branch and tag stands in for the push: name only those with something to send.
      if (values.unpushed) prePush.lines = prePush.lines.filter((line) => !line.endsWith(': 0 new commits'));
    } catch (error) {
      // Never let a push through unchecked: a range that cannot be computed blocks, and says why.
      io.err(
        `signus: push blocked: cannot tell which commits this push sends (${(error as Error).message}).\n` +
          'Fix the cause, or push without the check: git push --no-verify\n',
      );
      return EXIT.failed;
    }
    if ((prePush.revs.length === 0 || prePush.newCommits === 0) && prePush.tagObjects.length === 0) {
      io.out(
        `signus: nothing new to push to ${remote}: ${prePush.lines.length ? prePush.lines.join('; ') : 'no refs'}. No commit to scan.\n`,
      );
      return EXIT.ok;
    }
    const tags = prePush.tagObjects.length ? ` and ${plural(prePush.tagObjects.length, 'annotated tag')}` : '';
    resolved = {
      selection: {
        revs: prePush.newCommits > 0 ? prePush.revs : [],
        all: false,
        tagObjects: prePush.tagObjects,
      },
      scope: `the push to ${remote} (${plural(prePush.newCommits, 'new commit')}${tags})`,
      notes: prePush.notes,
    };
  } else if (values.branch !== undefined) {
    const branch = revision(values.branch, '--branch');
    try {
      await gitText(['rev-parse', '--verify', '--end-of-options', `${branch}^{commit}`], cwd);
    } catch {
      throw new UsageError(`--branch: "${branch}" is not a branch or commit in this repository.`);
    }
    resolved = { selection: { revs: [branch], all: false }, scope: `branch ${branch}`, notes: [] };
  } else {
    resolved = {
      selection: { revs: [], all: true, reflog: values.reflog },
      scope: values.reflog ? 'all refs, stashes and the reflog' : 'all refs and stashes',
      notes: [],
    };
  }
  if (values.since !== undefined) {
    resolved.selection.since = values.since;
    resolved.scope += ` since ${values.since}`;
  }

  const started = nowMs();
  const result = await scanHistory({ cwd, selection: resolved.selection, knownKeys, ignore, maxBlobBytes }).catch(
    (error: Error) => {
      throw new UsageError(error.message);
    },
  );
  if (values['write-baseline'] !== undefined) {
    const file = resolve(cwd, values['write-baseline']);
    writeFileSync(file, serializeBaseline(createBaseline(result.findings.flatMap(baselineEntries))));
    io.err(
      `Wrote ${plural(result.findings.length, 'key')} to the baseline ${displayName(relative(cwd, file) || file)}. Later scans with --baseline report only new ones.\n`,
    );
    return EXIT.ok;
  }
  let findings: HistoryReport['findings'] = result.findings;
  let verification: HistoryReport['verification'];
  if (verify) {
    if (verify.warning) io.err(`warning: ${verify.warning}\n`);
    const verified = await verifyHistoryFindings(findings, result.top, verify);
    findings = findings.map((f) => ({ ...f, verification: verified.verifications.get(f)! }));
    verification = verified.summary;
  }
  let baselined = 0;
  if (baseline) {
    const kept = withoutBaselined(
      findings,
      (f) => baselineEntries(f).some((e) => isInBaseline(baseline, e.path, e.fingerprint)),
      verify?.allowLiveBaselined ?? false,
    );
    findings = kept.kept;
    baselined = kept.baselined;
  }
  const report: HistoryReport = {
    ...result,
    findings,
    baselined,
    ...(verification && { verification }),
    scope: resolved.scope,
    durationMs: Math.round(nowMs() - started),
    knownKeysFile,
    notes: [...resolved.notes, ...historyNotes(result)],
    ...(prePush && { prePush: { remote: positionals[0]!, lines: prePush.lines } }),
  };
  if (values.format === 'json') io.out(historyJson(report, version));
  else if (values.format === 'sarif') io.out(historySarif(report, version));
  else if (values.format === 'gitlab') io.out(historyGitlab(report, version, new Date(Date.now() - report.durationMs)));
  else io.out(historyText(report, { color: io.color }));
  return report.findings.length > 0 ? EXIT.failed : EXIT.ok;
}

/** What stands for a commit message in a baseline: a key added only in messages has no file path. */
export const MESSAGE_BASELINE_PATH = '(commit message)';

/**
 * A history finding in baseline terms: one entry per file that added the key, so a baseline written by a
 * tree scan (path and fingerprint) silences the same key in the history of that file.
 */
function baselineEntries(f: HistoryFinding): { path: string; ruleId: string; fingerprint: string }[] {
  const paths = f.paths.length ? f.paths : [MESSAGE_BASELINE_PATH];
  return paths.map((path) => ({ path, ruleId: f.ruleId, fingerprint: f.fingerprint }));
}

/** Each key once, filed under the commit that first added it (a key in a commit message under that commit). */
function historyGitlab(report: HistoryReport, version: string, startedAt: Date): string {
  const items = report.findings.map((f) => ({
    ...f,
    path:
      f.introduced.path ??
      (f.introduced.tag
        ? `message of tag ${f.introduced.tag.name}`
        : `message of commit ${f.introduced.commit.slice(0, 12)}`),
    line: f.introduced.line,
    endLine: f.introduced.line,
    commit: f.introduced.commit,
  }));
  return gitlabReport(items, version, { startedAt, finishedAt: new Date() });
}
