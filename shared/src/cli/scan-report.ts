/** What `signus scan` found, in the three output formats. Kept apart from the rules, as secretlint does. */
import type { FileFinding } from '../node/scan-files.js';
import { ruleMetadata } from '../scan/index.js';
import type { FindingVerification, VerificationSummary } from './scan-verify.js';

/** A finding as reported: with its live-verification label when the scan ran with --verify. */
export type ReportFinding = FileFinding & { verification?: FindingVerification };

export interface ScanSummary {
  mode: 'tree' | 'staged';
  /** The scan runs inside git's pre-commit hook, so findings stop the commit. */
  inHook?: boolean;
  /** Absolute project root; result paths are relative to it. */
  root: string;
  files: number;
  bytes?: number;
  addedLines?: number;
  durationMs: number;
  /** What was not read (binary, too large, unreadable, not followed): a clean result says so. */
  notRead: string[];
  /** Other notes for the summary line: what was left out on purpose and why. */
  skipped: string[];
  baselined: number;
  knownKeysFile: string | null;
  /** With --verify: what was checked, where, and the labels. */
  verification?: VerificationSummary;
}

export interface ScanReport {
  findings: ReportFinding[];
  summary: ScanSummary;
}

export function jsonReport(report: ScanReport, version: string): string {
  const findings = report.findings.map((f) => ({
    path: f.path,
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    masked: f.masked,
    fingerprint: f.fingerprint,
    encoding: f.encoding,
    ...(f.knownKeyLabel !== undefined && { knownKeyLabel: f.knownKeyLabel }),
    snippet: f.snippet,
    ...(f.verification !== undefined && { verification: f.verification }),
  }));
  // What each rule found is and what to do about it, from the one rule-metadata record.
  const rules = [...new Set(findings.map((f) => f.ruleId))].flatMap((id) => {
    const d = ruleMetadata(id);
    return d
      ? [{ id, name: d.name, description: d.description, severity: d.severity, remedy: d.remedy, helpUri: d.helpUri }]
      : [];
  });
  return `${JSON.stringify({ tool: 'signus', version, rules, findings, summary: report.summary }, null, 2)}\n`;
}
