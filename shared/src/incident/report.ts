/**
 * The incident report, in JSON and Markdown. It names the key by its mask and fingerprint only, and every
 * path, label, remote and snippet-free location goes through displayName; the whole text is then passed
 * through the key's own echo redactor when the key is at hand, so no form of it can be in a report.
 */
import { echoRedactor } from '../echo-redactor.js';
import { redact } from '../mask.js';
import { displayName } from '../safe-text.js';
import { CLASS_TITLES, type LocationClass } from './locations.js';
import type { CopyEncoding } from './match.js';

export type FileAction = 'replace' | 'scrub' | 'clear-in-tool' | 'edit-by-hand' | 'rename';

export interface ReportFile {
  path: string;
  class: LocationClass;
  tool?: string;
  count: number;
  places: { line: number; column: number; encoding: CopyEncoding }[];
  inName?: boolean;
  action: FileAction;
}

export interface ReportHistoryFinding {
  commit: string;
  date: string;
  author: string;
  /** null: a commit or tag message. */
  path: string | null;
  line: number;
  pushed: boolean;
  remotes: string[];
  refs: string[];
  inHead: boolean;
  removedBy: string | null;
  occurrences: number;
}

export interface ReportRepo {
  repo: string;
  remotes: { name: string; url: string }[];
  commits: number;
  findings: ReportHistoryFinding[];
  /** Objects in the database holding the key in any form, reachable or not (only with the key at hand). */
  objectsWithKey?: number;
  error?: string;
}

export type StepStatus = 'done' | 'skipped' | 'failed' | 'manual' | 'not-run';

export interface ReportStep {
  step: string;
  status: StepStatus;
  lines: string[];
}

export interface IncidentReport {
  version: 1;
  generatedAt: string;
  key: { label: string; masked: string; fingerprint: string };
  /** The key itself was at hand (given, or read back from a copy): every encoding was looked for. */
  matchedWithKey: boolean;
  searched: {
    roots: string[];
    home: string | null;
    history: boolean;
    maxFileBytes: number;
    files: number;
    bytes: number;
  };
  files: ReportFile[];
  history: ReportRepo[];
  skipped: IncidentSkips;
  steps: ReportStep[];
}

/** What a search did not read, and why: the report lists it, so "not found" never hides "not searched". */
export interface IncidentSkips {
  tooLarge: { path: string; bytes: number }[];
  binary: string[];
  unreadable: { path: string; reason: string }[];
  /** Symbolic links not followed (to folders, or inside working trees). */
  symlinks: number;
  /** Folders not entered (node_modules, .git, the incident's own folder). */
  skippedDirectories: number;
  /** The walk stopped at its file limit. */
  truncated: boolean;
}

/** Where a class's copies get fixed. */
export function actionFor(file: {
  class: LocationClass;
  binary?: boolean;
  utf16?: boolean;
  inName?: boolean;
  count: number;
}): FileAction {
  if (file.count === 0 && file.inName) return 'rename';
  if (file.binary) return 'clear-in-tool';
  if (file.utf16) return 'edit-by-hand';
  return file.class === 'shell-history' || file.class === 'agent-transcript' ? 'scrub' : 'replace';
}

const ACTION_TEXT: Record<FileAction, string> = {
  replace: 'replace with the new key',
  scrub: 'scrub (key → marker)',
  'clear-in-tool': "in a tool's database: delete the chat/entry in the tool",
  'edit-by-hand': 'UTF-16 file: edit by hand',
  rename: 'the key is in the file name: rename it',
};

/** `https://user:token@host/x` → `https://***@host/x`: a remote's credentials stay out of reports. */
export function safeRemote(url: string): string {
  return displayName(url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@'));
}

export function totalCopies(report: IncidentReport): {
  files: number;
  copies: number;
  commits: number;
  pushed: number;
} {
  const commits = report.history.reduce((n, r) => n + r.findings.length, 0);
  const pushed = report.history.reduce((n, r) => n + r.findings.filter((f) => f.pushed).length, 0);
  return {
    files: report.files.length,
    copies: report.files.reduce((n, f) => n + f.count + (f.inName ? 1 : 0), 0),
    commits,
    pushed,
  };
}

/** Paths as the report shows them: `~/…` inside the home folder, displayName always. */
export function reportPath(path: string, home: string | null): string {
  const shown = home && (path === home || path.startsWith(`${home}/`)) ? `~${path.slice(home.length)}` : path;
  return displayName(shown);
}

export function renderIncidentMarkdown(report: IncidentReport): string {
  const home = report.searched.home;
  // A crafted file name must not add table cells or end the code span: pipes escaped, backticks replaced.
  const p = (path: string) => `\`${reportPath(path, home).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
  const t = totalCopies(report);
  const out: string[] = [];
  out.push(`# Incident report: leaked Signus API key ${md(report.key.label)}`, '');
  out.push(`- Key: \`${report.key.masked}\` (fingerprint \`${report.key.fingerprint}\`)`);
  out.push(`- Generated: ${report.generatedAt}`);
  out.push(
    `- Matched: ${report.matchedWithKey ? 'by the key itself, in every encoding (plain, base64 at any alignment, URL and JSON escapes, any letter case, split by invisible characters)' : 'by fingerprint only (the key, base64, URL and JSON forms); give the key to look for the other forms'}`,
  );
  out.push(
    `- Searched: ${report.searched.roots.map(p).join(', ') || 'no folders'}${home ? `; home ${p(home)} (locations in incident/locations.ts)` : ''}; git history ${report.searched.history ? 'of every repository found (all refs, stash, reflog)' : 'not searched'}; ${report.searched.files} files, ${report.searched.bytes} bytes`,
  );
  out.push(
    `- Found: ${t.copies} ${t.copies === 1 ? 'copy' : 'copies'} in ${t.files} ${t.files === 1 ? 'file' : 'files'}; ${t.commits} in git history (${t.pushed} pushed)`,
    '',
  );
  const classes = [...new Set(report.files.map((f) => f.class))];
  for (const cls of classes) {
    out.push(`## ${CLASS_TITLES[cls]}`, '');
    out.push('| file | copies | where (line:column, form) | what to do |', '|---|---|---|---|');
    for (const f of report.files.filter((x) => x.class === cls)) {
      const where = f.places
        .slice(0, 8)
        .map((x) => `${x.line}:${x.column} ${x.encoding}`)
        .join(', ');
      const more = f.places.length > 8 || f.count > f.places.length ? `, … (${f.count} in all)` : '';
      const name = f.inName ? ' (and in the file name)' : '';
      out.push(
        `| ${p(f.path)}${f.tool ? ` (${md(f.tool)})` : ''} | ${f.count + (f.inName ? 1 : 0)} | ${where}${more}${name} | ${ACTION_TEXT[f.action]} |`,
      );
    }
    out.push('');
  }
  if (report.history.length > 0) {
    out.push(`## ${CLASS_TITLES['git-history']}`, '');
    for (const repo of report.history) {
      const remotes = repo.remotes.map((r) => `${md(r.name)} ${safeRemote(r.url)}`).join(', ') || 'no remotes';
      out.push(`### ${p(repo.repo)} (${repo.commits} commits read; ${remotes})`, '');
      if (repo.error) out.push(`History could not be read: ${md(repo.error)}`, '');
      if (repo.objectsWithKey !== undefined)
        out.push(
          `${repo.objectsWithKey} ${repo.objectsWithKey === 1 ? 'object' : 'objects'} in its database ${repo.objectsWithKey === 1 ? 'holds' : 'hold'} the key in some form (every object read, reachable or not).`,
          '',
        );
      if (repo.findings.length === 0) {
        if (!repo.error) out.push('No commit, stash or reflog entry adds the key in a form found by fingerprint.', '');
        continue;
      }
      out.push('| commit | date | file:line | pushed | still reachable from | in HEAD |', '|---|---|---|---|---|---|');
      for (const f of repo.findings) {
        out.push(
          `| \`${f.commit.slice(0, 12)}\` | ${f.date.slice(0, 10)} | ${f.path === null ? '(commit message)' : p(f.path)}:${f.line} | ${f.pushed ? `**yes** (${f.remotes.map(md).join(', ')})` : 'no'} | ${f.refs.map(md).join(', ') || '—'} | ${f.inHead ? 'yes' : f.removedBy ? `no (removed in \`${f.removedBy.slice(0, 12)}\`)` : 'no'} |`,
        );
      }
      out.push('');
    }
  }
  const s = report.skipped;
  out.push('## Not searched', '');
  const skippedLines = [
    ...s.tooLarge.map((x) => `- ${p(x.path)}: ${x.bytes} bytes, over the ${report.searched.maxFileBytes}-byte limit`),
    ...s.binary.slice(0, 50).map((x) => `- ${p(x)}: binary`),
    ...(s.binary.length > 50 ? [`- … and ${s.binary.length - 50} more binary files`] : []),
    ...s.unreadable.map((x) => `- ${p(x.path)}: ${md(x.reason)}`),
    ...(s.symlinks > 0
      ? [`- ${s.symlinks} symbolic links not followed (their targets are searched where they are)`]
      : []),
    ...(s.skippedDirectories > 0
      ? [
          `- ${s.skippedDirectories} folders not entered (node_modules, .git — history is read through git —, the incident folder)`,
        ]
      : []),
    ...(s.truncated ? ['- **The search stopped at its file limit**: search smaller folders.'] : []),
  ];
  out.push(...(skippedLines.length ? skippedLines : ['Nothing was skipped.']), '');
  if (report.steps.length > 0) {
    out.push('## Response', '');
    for (const step of report.steps) {
      out.push(`### ${md(step.step)}: ${step.status}`, '', ...step.lines.map((l) => l), '');
    }
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** Markdown table cells: no pipes, no line breaks. */
function md(text: string): string {
  return redact(text).replace(/[|\r\n]/g, ' ');
}

export function renderIncidentJson(report: IncidentReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The last guard on anything written: every form of the key masked, then every key-shaped run. */
export function reportRedactor(secret: string | undefined): (text: string) => string {
  if (secret === undefined) return (text) => redact(text);
  const echo = echoRedactor(secret);
  return (text) => echo(text);
}
