/**
 * SARIF 2.1.0 as GitHub code scanning accepts it. No field holds a secret: messages name the rule,
 * snippets are masked, fingerprints are SHA-256.
 */
import { ruleMetadata, KNOWN_RULE_ID, SHAPE_RULE_ID } from '../scan/index.js';
import type { ScanReport } from './scan-report.js';

export const SARIF_RULE_IDS: readonly string[] = [SHAPE_RULE_ID, KNOWN_RULE_ID];

export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function sarifReport(report: ScanReport, version: string): string {
  const results = report.findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: SARIF_RULE_IDS.indexOf(f.ruleId),
    // A key verified live is an error whatever the rule: it works right now.
    level: f.verification?.label === 'live' ? 'error' : f.severity,
    message: {
      text: `${f.message} (${f.masked})${f.verification ? ` Verified: ${f.verification.label} (${f.verification.why})` : ''}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodePath(f.path), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: f.line,
            startColumn: f.column,
            endLine: f.endLine,
            endColumn: f.endColumn,
            snippet: { text: f.snippet },
          },
        },
      },
    ],
    partialFingerprints: { 'signusSecretSha256/v1': f.fingerprint },
    ...(f.verification && {
      properties: {
        verification: f.verification.label,
        verificationDetail: f.verification.why,
        ...(f.verification.accountIdFrom && { accountIdFrom: f.verification.accountIdFrom }),
        tags: [`signus-${f.verification.label}`],
      },
    }),
  }));
  return sarifLog(results, version);
}

/** A SARIF log of `results` (each naming a rule by SHAPE_RULE_ID or KNOWN_RULE_ID), with the rules described. */
export function sarifLog(results: unknown[], version: string): string {
  const rules = SARIF_RULE_IDS.map((id) => {
    const d = ruleMetadata(id)!;
    return {
      id,
      name: d.name,
      shortDescription: { text: d.description },
      fullDescription: { text: d.fullDescription },
      helpUri: d.helpUri,
      help: { text: d.remedy.join('\n'), markdown: d.remedy.map((h) => `- ${h}`).join('\n') },
      defaultConfiguration: { level: d.severity },
      properties: {
        tags: ['security', 'secret'],
        precision: d.precision,
        'security-severity': d.securitySeverity,
      },
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'signus', informationUri: 'https://signus.ai', version, semanticVersion: version, rules },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
