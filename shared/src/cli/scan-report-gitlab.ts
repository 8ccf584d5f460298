/**
 * GitLab's secret-detection report (gl-secret-detection-report.json, security report schema 15.x), so a
 * `signus scan` job shows its findings in merge requests and the vulnerability report. No field holds a
 * secret: GitLab's own analyzer puts the raw secret in `raw_source_code_extract`; this report never does.
 */
import { ruleMetadata } from '../scan/index.js';

export const GITLAB_SCHEMA_VERSION = '15.2.1';

/** GitLab wants UTC times without a zone or fraction: 2026-12-02T12:00:00. */
const gitlabTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, '');

export interface GitlabContext {
  startedAt: Date;
  finishedAt: Date;
}

/** One finding, wherever it came from (tree, index or history), with the commit GitLab requires. */
export interface GitlabItem {
  ruleId: string;
  severity: 'error' | 'warning';
  message: string;
  masked: string;
  fingerprint: string;
  /** Relative to the repository root; for a key in a commit message, a description of the message. */
  path: string;
  line: number;
  endLine: number;
  commit: string;
  verification?: { label: string; why: string };
}

export function gitlabReport(items: readonly GitlabItem[], version: string, context: GitlabContext): string {
  const tool = { id: 'signus', name: 'signus', version, vendor: { name: 'Signus' }, url: 'https://signus.ai' };
  const vulnerabilities = items.map((f) => {
    const rule = ruleMetadata(f.ruleId);
    const live = f.verification?.label === 'live';
    return {
      // Stable across pipelines for the same key in the same file, so GitLab tracks one vulnerability.
      id: `${f.ruleId}:${f.path}:${f.fingerprint}`,
      category: 'secret_detection',
      name: rule?.description ?? f.ruleId,
      description: `${f.message} (${f.masked})${f.verification ? ` Verified: ${f.verification.label}: ${f.verification.why}` : ''}`,
      severity: live || f.severity === 'error' ? 'Critical' : 'High',
      confidence: f.severity === 'error' ? 'Confirmed' : 'High',
      solution: rule?.remedy.join(' '),
      scanner: { id: tool.id, name: tool.name },
      location: { file: f.path, start_line: f.line, end_line: f.endLine, commit: { sha: f.commit } },
      identifiers: [{ type: 'signus_rule_id', name: `signus rule ${f.ruleId}`, value: f.ruleId }],
    };
  });
  const log = {
    version: GITLAB_SCHEMA_VERSION,
    vulnerabilities,
    remediations: [],
    scan: {
      analyzer: tool,
      scanner: tool,
      type: 'secret_detection',
      start_time: gitlabTime(context.startedAt),
      end_time: gitlabTime(context.finishedAt),
      status: 'success',
    },
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
