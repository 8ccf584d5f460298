/** What `signus scan --history` / `--range` / `--ci` found, one finding per key, in the three formats. */
import { formatBytes } from '../index.js';
import type { HistoryFinding, HistoryScanResult } from '../node/history/scan-history.js';
import { painter } from './io.js';
import { verificationLine, type FindingVerification, type VerificationSummary } from './scan-verify.js';
import { bullet, LABEL_TONE, remedy, verificationNote } from './scan-report-text.js';
import { encodePath, SARIF_RULE_IDS, sarifLog } from './scan-report-sarif.js';
import { plural } from './words.js';

/** A history finding as reported: with its live-verification label when the scan ran with --verify. */
export type HistoryReportFinding = HistoryFinding & { verification?: FindingVerification };

export interface HistoryReport extends HistoryScanResult {
  findings: HistoryReportFinding[];
  /** Findings a --baseline recorded, left out. */
  baselined: number;
  /** With --verify: what was checked, where, and the labels. */
  verification?: VerificationSummary;
  /** What was walked, in words: "all refs and 2 stash entries", "range a1b2c3d..e4f5a6b". */
  scope: string;
  durationMs: number;
  knownKeysFile: string | null;
  /** Statements the reader must see: shallow clone, missing objects, CI base fetched… */
  notes: string[];
  /** Inside git's pre-push hook: findings block the push. */
  prePush?: { remote: string; lines: string[] };
}

// eslint-disable-next-line no-control-regex
const printable = (text: string) => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
const short = (id: string) => id.slice(0, 10);
const day = (iso: string) => iso.slice(0, 10);

/** Everything a reader must know about what was and was not read: never a silent "0 scanned". */
export function historyNotes(result: HistoryScanResult): string[] {
  const s = result.stats;
  const notes: string[] = [];
  if (s.empty) notes.push('the repository has no commits yet: there is no history to scan');
  else if (s.commits === 0 && s.tagMessages === 0) notes.push('no commit matched: nothing was scanned');
  if (s.shallowBoundary.length)
    notes.push(
      `shallow clone: history stops at ${plural(s.shallowBoundary.length, 'commit')} (${s.shallowBoundary.map(short).join(', ')}); ` +
        'what they hold is reported as added by them, and older commits were not scanned (git fetch --unshallow to scan all)',
    );
  if (s.missing)
    notes.push(
      `${plural(s.missing, 'object')} missing from this clone${s.partialClone ? ' (a partial clone; signus does not download them)' : ''} were not scanned`,
    );
  if (s.submodules)
    notes.push(`${plural(s.submodules, 'submodule change')} not scanned (scan each submodule's own history)`);
  if (s.binary) notes.push(`${plural(s.binary, 'binary blob')} with key-like bytes not scanned`);
  if (s.tooLarge) notes.push(`${plural(s.tooLarge, 'blob')} over the size limit not scanned (raise --max-file-size)`);
  if (s.ignoredPaths) notes.push(`${plural(s.ignoredPaths, 'change')} to paths in .signusignore not reported`);
  return notes;
}

export function historyJson(report: HistoryReport, version: string): string {
  const s = report.stats;
  const summary = {
    mode: 'history',
    scope: report.scope,
    root: report.top,
    head: report.head,
    commits: s.commits,
    messages: s.messages,
    tagMessages: s.tagMessages,
    blobs: s.blobs,
    bytesRead: s.bytes,
    refsCovered: s.refsCovered,
    missingObjects: s.missing,
    submoduleChanges: s.submodules,
    binaryBlobs: s.binary,
    tooLargeBlobs: s.tooLarge,
    shallowBoundary: s.shallowBoundary,
    partialClone: s.partialClone,
    empty: s.empty,
    durationMs: report.durationMs,
    notes: report.notes,
    baselined: report.baselined,
    knownKeysFile: report.knownKeysFile,
    ...(report.verification && { verification: report.verification }),
  };
  return `${JSON.stringify({ tool: 'signus', version, findings: report.findings, summary }, null, 2)}\n`;
}

export function historySarif(report: HistoryReport, version: string): string {
  const results = report.findings.map((f) => {
    const where = f.introduced.tag
      ? `the message of tag ${f.introduced.tag.name}`
      : f.introduced.path === null
        ? `the message of commit ${short(f.introduced.commit)}`
        : f.introduced.path;
    return {
      ruleId: f.ruleId,
      ruleIndex: SARIF_RULE_IDS.indexOf(f.ruleId),
      level: f.verification?.label === 'live' ? 'error' : f.severity,
      message: {
        text: `${f.message} (${f.masked}): added by commit ${short(f.introduced.commit)} in ${where}; ${f.pushed ? `pushed to ${f.remotes.join(', ')}` : 'not on any remote-tracking ref'}.${f.verification ? ` Verified: ${f.verification.label} (${f.verification.why})` : ''}`,
      },
      ...(f.introduced.path !== null && {
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: encodePath(f.introduced.path), uriBaseId: '%SRCROOT%' },
              region: {
                startLine: f.introduced.line,
                startColumn: f.introduced.column,
                snippet: { text: f.introduced.snippet },
              },
            },
          },
        ],
      }),
      partialFingerprints: { 'signusSecretSha256/v1': f.fingerprint },
      properties: {
        commit: f.introduced.commit,
        author: f.introduced.author,
        date: f.introduced.date,
        removedBy: f.removed?.commit ?? null,
        inHead: f.inHead,
        refs: f.refs,
        pushed: f.pushed,
        remotes: f.remotes,
        occurrences: f.occurrences,
        ...(f.tags.length && { annotatedTags: f.tags }),
        ...(f.verification && {
          verification: f.verification.label,
          verificationDetail: f.verification.why,
          ...(f.verification.accountIdFrom && { accountIdFrom: f.verification.accountIdFrom }),
          tags: [`signus-${f.verification.label}`],
        }),
      },
    };
  });
  return sarifLog(results, version);
}

function listOf(names: string[], max = 6): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

const refName = (name: string) => name.replace(/^refs\/(heads|tags|remotes)\//, '');

export function historyText(report: HistoryReport, options: { color: boolean }): string {
  const paint = painter(options.color);
  const lines: string[] = [];
  for (const f of report.findings) {
    const tone = f.severity === 'error' ? 'red' : 'yellow';
    const label = f.knownKeyLabel !== undefined ? `  "${printable(f.knownKeyLabel)}"` : '';
    const v = f.verification;
    const verified = v ? `  ${paint(LABEL_TONE[v.label], v.label.toUpperCase())}` : '';
    lines.push(`${paint('bold', f.masked)}  ${paint(tone, f.severity)}  ${f.ruleId}${label}${verified}`);
    const i = f.introduced;
    const where = i.tag
      ? `message of tag ${printable(i.tag.name)}:${i.line}:${i.column}`
      : i.path === null
        ? 'commit message'
        : `${printable(i.path)}:${i.line}:${i.column}`;
    lines.push(`  added      ${short(i.commit)} ${day(i.date)} ${printable(i.author)}  ${where}`);
    lines.push(`             ${paint('dim', printable(i.snippet.trim()))}`);
    if (i.shallowBoundary) lines.push('             (at the shallow clone boundary: it may have been added earlier)');
    if (v) lines.push(`  verified   ${verificationNote(v)}`);
    if (report.prePush) {
      lines.push(`  ${paint('dim', `fingerprint ${f.fingerprint}`)}`, '');
      continue;
    }
    if (f.inHead) lines.push('  removed    no: still in HEAD');
    else if (f.removed)
      lines.push(`  removed    ${short(f.removed.commit)} ${day(f.removed.date)} ${printable(f.removed.author)}`);
    else lines.push('  removed    never in HEAD');
    lines.push(`  reachable  ${f.refs.length ? listOf(f.refs.map(refName)) : 'from no local ref'}`);
    lines.push(
      f.pushed
        ? `  pushed     ${paint(['bold', 'red'], 'yes')}: ${f.remotes.join(', ')} (${listOf(f.remoteRefs.map(refName), 4)})`
        : f.commits.length === 0
          ? '  pushed     unknown: only in tag messages, and tags have no remote-tracking refs (git ls-remote --tags <remote> lists what a remote has)'
          : '  pushed     no: no remote-tracking ref reaches it (as of the last fetch)',
    );
    const tagged = f.tags.length ? ` and the message of ${listOf(f.tags.map(refName), 4)}` : '';
    lines.push(`  seen       ${plural(f.occurrences, 'time')} in ${plural(f.commits.length, 'commit')}${tagged}`);
    lines.push(`  ${paint('dim', `fingerprint ${f.fingerprint}`)}`);
    lines.push('');
  }
  const s = report.stats;
  const scanned =
    `Scanned ${report.scope}: ${plural(s.commits, 'commit')} and their messages, ` +
    (s.tagMessages ? `${plural(s.tagMessages, 'annotated tag message')}, ` : '') +
    `${plural(s.blobs, 'blob')} (${formatBytes(s.bytes)}), ${plural(s.refsCovered.length, 'ref')} covered, in ${report.durationMs} ms`;
  const allNotes = [
    ...report.notes,
    ...(report.baselined > 0 ? [`${plural(report.baselined, 'key')} already in the baseline`] : []),
  ];
  const notes =
    (allNotes.length ? `; ${allNotes.join('; ')}` : '') +
    (report.verification ? `. ${verificationLine(report.verification).replace(/\.$/, '')}` : '');
  const live = report.findings.some((f) => f.verification?.label === 'live')
    ? [
        `  • ${paint(['bold', 'red'], 'A key marked LIVE works right now:')} delete it in Signus (Settings → Developer) first, then clean up.`,
      ]
    : [];
  if (report.findings.length === 0) {
    lines.push(`${paint('green', '✓ No Signus keys found in history.')} ${scanned}${notes}.`);
    return `${lines.join('\n')}\n`;
  }
  if (report.prePush) {
    const { remote } = report.prePush;
    lines.push(...report.prePush.lines.map((l) => `  ${printable(l)}`));
    lines.push('');
    lines.push(
      paint(
        ['bold', 'red'],
        `✗ Push blocked: ${plural(report.findings.length, 'Signus key')} in the commits you are pushing to ${printable(remote)}.`,
      ) + ` ${paint('bold', 'The key has NOT left this machine yet.')} ${scanned}${notes}.`,
    );
    lines.push('');
    lines.push('What to do:', ...live);
    lines.push(
      '  • Take the key out of those commits before pushing. In the last commit: fix the file (read the key from',
    );
    lines.push(
      '    SIGNUS_API_KEY or the VS Code key store), then git commit --amend. In an older one: git rebase -i on',
    );
    lines.push(
      '    the commit before it, "edit" (or "drop") that commit, fix it, git rebase --continue. Then push again.',
    );
    lines.push('  • A key only in a commit message: git commit --amend (or "reword" in git rebase -i).');
    if (report.findings.some((f) => f.tags.length > 0))
      lines.push('  • A key in an annotated tag’s message: git tag -d <tag>, then tag again with a clean message.');
    lines.push('  • Not a real key? Add its fingerprint (shown above) to .signusignore and commit that.');
    lines.push('  • To push anyway (the key WILL leave this machine; not recommended): git push --no-verify');
    return `${lines.join('\n')}\n`;
  }
  const pushed = report.findings.filter((f) => f.pushed).length;
  lines.push(
    paint(['bold', 'red'], `✗ ${plural(report.findings.length, 'Signus key')} in history`) +
      (pushed ? paint('red', ` (${pushed} pushed)`) : '') +
      `. ${scanned}${notes}.`,
  );
  lines.push('');
  // The rules' own advice (RULE_METADATA, as every formatter gives it), then what history adds to it.
  lines.push('What to do:', ...live);
  for (const step of remedy(report.findings)) lines.push(...bullet(step));
  lines.push(
    ...bullet(
      'Rewriting history does not take a pushed key back from those who fetched it. A key that was never pushed: rewrite the commits that add it before any push (git commit --amend, git rebase -i), and drop the stashes and refs listed above; until then it stays in this repository.',
    ),
  );
  return `${lines.join('\n')}\n`;
}
