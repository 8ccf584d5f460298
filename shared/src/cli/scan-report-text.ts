import { relative, resolve } from 'node:path';
import { displayName, formatBytes } from '../index.js';
import { ruleMetadata } from '../scan/index.js';
import { painter } from './io.js';
import { terminalSafe } from './terminal-text.js';
import { plural } from './words.js';
import type { ReportFinding, ScanReport } from './scan-report.js';
import { verificationLine, type FindingVerification } from './scan-verify.js';
import type { VerificationLabel } from '../verify/index.js';

export const LABEL_TONE = {
  live: 'red',
  'other-workspace': 'yellow',
  revoked: 'green',
  unknown: 'yellow',
} as const satisfies Record<VerificationLabel, string>;

export function verificationNote(v: FindingVerification): string {
  const account = v.accountIdFrom ? ` (Account ID from ${v.accountIdFrom})` : '';
  const baseline = v.liveInBaseline
    ? ' In the baseline, reported because it is live (--allow-live-baselined to silence).'
    : '';
  // `why` quotes the server's status text and hint: what it chose must not drive the terminal.
  return terminalSafe(`${v.label}: ${v.why}${account}${baseline}`);
}

export interface TextOptions {
  color: boolean;
  cwd: string;
}

/** File content goes to a terminal: control characters (escape sequences) are shown as '?'. */
// eslint-disable-next-line no-control-regex
const printable = (text: string) => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');

/** The remedy steps of the rules found (RULE_METADATA), each once, in the rules' order. */
export function remedy(findings: readonly Pick<ReportFinding, 'ruleId'>[]): string[] {
  const steps = new Set<string>();
  for (const id of new Set(findings.map((f) => f.ruleId))) for (const s of ruleMetadata(id)?.remedy ?? []) steps.add(s);
  return [...steps];
}

/** `  • ` and the step, wrapped at 110 columns with its continuation lines indented under it. */
export function bullet(step: string): string[] {
  const out: string[] = [];
  let line = '  •';
  for (const word of step.split(' ')) {
    if (line.length + 1 + word.length > 110 && line.trim() !== '•') {
      out.push(line);
      line = '   ';
    }
    line += ` ${word}`;
  }
  out.push(line);
  return out;
}

/**
 * The first line when the hook blocks a commit. Git shows a hook's output as is, but VS Code's Source Control
 * view and other git front ends show only its first line: it must name the key, the file and the remedy.
 */
export function blockedHeadline(findings: readonly ReportFinding[], where: (f: ReportFinding) => string): string {
  const [first] = findings;
  if (!first) return '';
  const whose = first.knownKeyLabel ? `your key "${first.knownKeyLabel}"` : 'a Signus API key';
  const others = findings.length - 1;
  const more = others > 0 ? ` and ${plural(others, 'more key')}` : '';
  return (
    `signus blocked this commit: ${where(first)} holds ${whose} (${first.masked})${more}. ` +
    'Read it from an environment variable (SIGNUS_API_KEY) instead and unstage the file; details below.'
  );
}

/** file:line:column, rule, masked secret, then what to do. */
export function textReport(report: ScanReport, options: TextOptions): string {
  const paint = painter(options.color);
  const { findings, summary } = report;
  const lines: string[] = [];
  if (summary.mode === 'staged' && summary.inHook && findings.length > 0) {
    const at = (f: ReportFinding) =>
      `${displayName(relative(options.cwd, resolve(summary.root, f.path)).split('\\').join('/') || f.path)}:${f.line}`;
    lines.push(paint('bold', terminalSafe(blockedHeadline(findings, at))), '');
  }
  for (const f of findings) {
    const shown = relative(options.cwd, resolve(summary.root, f.path)).split('\\').join('/') || f.path;
    // Quoted when it holds a newline or another control character: it cannot pose as another finding's line.
    const where = `${displayName(shown)}:${f.line}:${f.column}`;
    const tone = f.severity === 'error' ? 'red' : 'yellow';
    const label = f.verification
      ? `  ${paint(LABEL_TONE[f.verification.label], f.verification.label.toUpperCase())}`
      : '';
    lines.push(`${paint('bold', where)}  ${paint(tone, f.severity)}  ${f.ruleId}  ${f.masked}${label}`);
    lines.push(`  ${f.message}`);
    if (f.verification) lines.push(`  ${verificationNote(f.verification)}`);
    lines.push(`  ${paint('dim', printable(f.snippet.trim()))}`);
    lines.push(`  ${paint('dim', `fingerprint ${f.fingerprint}`)}`);
  }
  const what =
    summary.mode === 'staged'
      ? `${plural(summary.addedLines ?? 0, 'added line')} in ${plural(summary.files, 'staged file')}`
      : `${plural(summary.files, 'file')}${summary.bytes !== undefined ? ` (${formatBytes(summary.bytes)})` : ''}`;
  const notes = [
    ...(summary.notRead.length ? [`not read: ${summary.notRead.join(', ')}`] : []),
    ...summary.skipped,
    ...(summary.baselined > 0 ? [`${plural(summary.baselined, 'finding')} already in the baseline`] : []),
  ];
  const verified = summary.verification ? ` ${verificationLine(summary.verification)}` : '';
  const tail = `Scanned ${what} in ${summary.durationMs} ms${notes.length ? `; ${notes.join('; ')}` : ''}.${verified}`;
  if (findings.length === 0) {
    // A clean result over files that were not all read must not look like a clean tree.
    lines.push(
      summary.notRead.length
        ? `${paint('yellow', '! No Signus keys found in what was read; some files were not read.')} ${tail}`
        : `${paint('green', '✓ No Signus keys found.')} ${tail}`,
    );
    return `${lines.join('\n')}\n`;
  }
  const known = findings.filter((f) => f.severity === 'error').length;
  const files = new Set(findings.map((f) => f.path)).size;
  lines.push('');
  lines.push(
    paint(['bold', 'red'], `✗ ${plural(findings.length, 'possible Signus key')} in ${plural(files, 'file')}`) +
      (known > 0 ? paint('red', ` (${known} confirmed as your own ${known === 1 ? 'key' : 'keys'})`) : '') +
      `. ${tail}`,
  );
  lines.push('');
  lines.push('What to do:');
  if (findings.some((f) => f.verification?.label === 'live'))
    lines.push(
      `  • ${paint(['bold', 'red'], 'A key marked LIVE works right now:')} delete it in Signus (Settings → Developer) first, then clean up.`,
    );
  for (const step of remedy(findings)) lines.push(...bullet(step));
  if (summary.mode === 'staged' && summary.inHook) {
    lines.push(
      `  • ${paint('bold', 'The commit was blocked.')} Unstage the key (git restore --staged <file>) and fix the file, then commit.`,
    );
    lines.push('    To commit anyway (not recommended): git commit --no-verify');
  } else if (summary.mode === 'staged') {
    lines.push('  • Unstage the key (git restore --staged <file>) and fix the file before you commit.');
    lines.push('    "signus hook install" makes git refuse such a commit by itself.');
  }
  return `${lines.join('\n')}\n`;
}
