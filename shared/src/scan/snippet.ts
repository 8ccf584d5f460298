import { redact } from '../mask.js';
import type { Finding } from './types.js';

const MAX_SNIPPET = 160;

/**
 * The finding's line with every finding on it masked (and anything else key-shaped, to be sure),
 * cut to a window around the finding for minified one-line files. Safe to print or upload.
 */
export function maskedSnippet(text: string, finding: Finding, allOnLine: readonly Finding[] = [finding]): string {
  const lineStart = text.lastIndexOf('\n', finding.offset - 1) + 1;
  let lineEndAt = text.indexOf('\n', finding.offset);
  if (lineEndAt === -1) lineEndAt = text.length;
  if (text.charCodeAt(lineEndAt - 1) === 13) lineEndAt--;
  const spans = allOnLine
    .filter((f) => f.offset >= lineStart && f.offset < lineEndAt)
    .sort((a, b) => a.offset - b.offset);
  let out = '';
  let at = lineStart;
  let findingAt = 0;
  for (const f of spans) {
    if (f.offset < at) continue;
    out += text.slice(at, f.offset);
    if (f === finding) findingAt = out.length;
    out += f.masked;
    at = f.offset + f.length;
  }
  out += text.slice(at, lineEndAt);
  out = redact(out);
  if (out.length <= MAX_SNIPPET) return out;
  const from = Math.max(0, Math.min(findingAt - 60, out.length - MAX_SNIPPET));
  return `${from > 0 ? '…' : ''}${out.slice(from, from + MAX_SNIPPET)}${from + MAX_SNIPPET < out.length ? '…' : ''}`;
}
