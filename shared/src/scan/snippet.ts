import { redact } from '../mask.js';
import { MAX_CANDIDATE_LENGTH } from './detect.js';
import type { Finding } from './types.js';

const MAX_SNIPPET = 160;
/** Raw characters kept each side of the finding: after masking, still more than the snippet shows. */
const CONTEXT = 240;
/** Characters a key or an encoded key can hold: a cut never leaves part of such a run in view. */
const SECRETISH = /[A-Za-z0-9_\-+/=%.~\\]/;

/**
 * The finding's line with every finding on it masked (and anything else key-shaped, to be sure),
 * cut to a window around the finding for minified one-line files. Safe to print or upload.
 * The line is cut to a window around the finding before anything else, so the work is bounded
 * however long the line is.
 */
export function maskedSnippet(text: string, finding: Finding, allOnLine: readonly Finding[] = [finding]): string {
  const findingEnd = finding.offset + finding.length;
  const windowStart = Math.max(0, finding.offset - CONTEXT);
  const windowEnd = Math.min(text.length, findingEnd + CONTEXT);
  const before = text.slice(windowStart, finding.offset).lastIndexOf('\n');
  const lineStart = before === -1 ? windowStart : windowStart + before + 1;
  const after = text.slice(findingEnd, windowEnd).indexOf('\n');
  let lineEndAt = after === -1 ? windowEnd : findingEnd + after;
  if (text.charCodeAt(lineEndAt - 1) === 13) lineEndAt--;
  const cutLeft = before === -1 && windowStart > 0 && text[windowStart - 1] !== '\n';
  const cutRight = after === -1 && windowEnd < text.length && text[windowEnd] !== '\n' && text[windowEnd] !== '\r';
  let start = cutLeft ? pastRun(text, lineStart, 1) : lineStart;
  let end = cutRight ? pastRun(text, lineEndAt, -1) : lineEndAt;

  const spans = allOnLine
    .filter((f) => f.offset < end && f.offset + f.length > start)
    .sort((a, b) => a.offset - b.offset);
  for (const f of spans) {
    start = Math.min(start, f.offset);
    end = Math.max(end, f.offset + f.length);
  }
  let out = '';
  let at = start;
  let findingAt = 0;
  for (const f of spans) {
    if (f.offset < at) continue;
    out += text.slice(at, f.offset);
    if (f === finding) findingAt = out.length;
    out += f.masked;
    at = f.offset + f.length;
  }
  out += text.slice(at, end);
  out = redact(out);
  if (out.length <= MAX_SNIPPET && !cutLeft && !cutRight) return out;
  const from = Math.max(0, Math.min(findingAt - 60, out.length - MAX_SNIPPET));
  const left = from > 0 || cutLeft ? '…' : '';
  const right = from + MAX_SNIPPET < out.length || cutRight ? '…' : '';
  return `${left}${out.slice(from, from + MAX_SNIPPET)}${right}`;
}

/**
 * A cut at `at` that splits a run of key characters moves past the run (`step` 1: forward, -1: back),
 * so no part of a key is shown. A run longer than any key is no key: the cut stays.
 */
function pastRun(text: string, at: number, step: 1 | -1): number {
  const charAt = (i: number) => text[step === 1 ? i : i - 1] ?? '';
  if (!SECRETISH.test(charAt(at)) || !SECRETISH.test(charAt(at - step))) return at;
  for (let i = at, n = 0; n <= MAX_CANDIDATE_LENGTH; i += step, n++) {
    if (!SECRETISH.test(charAt(i))) return i;
  }
  return at;
}
