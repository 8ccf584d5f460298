import { describe, expect, it } from 'vitest';
import type { ScanReport } from '../src/cli/scan-report.js';
import { textReport } from '../src/cli/scan-report-text.js';

const finding = (why: string) => ({
  path: 'app.env',
  line: 1,
  column: 16,
  severity: 'warning',
  ruleId: 'signus-api-key',
  message: 'A Signus API key.',
  masked: 'sk_••••••••XXXX',
  fingerprint: 'f'.repeat(16),
  snippet: 'SIGNUS_API_KEY=sk_••••••••XXXX',
  verification: { label: 'unknown', why },
});

const report = (why: string) =>
  ({
    findings: [finding(why)],
    summary: { mode: 'tree', root: '/r', files: 1, bytes: 10, notRead: [], skipped: [], baselined: 0, durationMs: 1 },
  }) as unknown as ScanReport;

describe('the text report of a verified finding', () => {
  it('shows what the server sent as visible escapes, never as terminal control sequences', () => {
    const hostile = '418 \u001b]52;c;ZXZpbA==\u0007\u001b[2J\u009b31m\u202e: no';
    const out = textReport(report(hostile), { color: false, cwd: '/r' });
    expect(out).toContain('unknown: 418 ');
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  });
});
