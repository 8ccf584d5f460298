/**
 * Text that came from the user or a file (arguments, environment variables, file lines, file names,
 * key labels) made safe to quote in a message: every key-shaped run masked, control characters escaped.
 */
import { containsKeyShaped } from './key-format.js';
import { redact } from './mask.js';

/**
 * Characters that would let text rewrite a terminal or a report's layout: C0 and C1 controls (newlines,
 * ESC), DEL, the line and paragraph separators, and bidirectional overrides that reorder what is shown.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHAR = /[\u0000-\u001f\u007f-\u009f\u061c\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_CHARS = new RegExp(UNSAFE_CHAR.source, 'g');

/** `"a\nb.ts"`: redacted, in double quotes, with the characters above, `"` and `\` escaped as in JSON. */
export function quoteText(text: string): string {
  return JSON.stringify(redact(text)).replace(
    UNSAFE_CHARS,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A file name for one line of a report: as it is when that is unambiguous, else quoted like quoteText
 * (so `a.ts\nb.ts:1:1  error …` cannot pose as a second finding). Key-shaped runs are masked either way.
 */
export function displayName(name: string): string {
  return UNSAFE_CHAR.test(name) || name.startsWith('"') ? quoteText(name) : redact(name);
}

/** A problem with a key's name (label), or undefined: a label must never hold the secret, anywhere in it. */
export function keyLabelProblem(label: string): string | undefined {
  if (/^sk_/i.test(label.trim()) || containsKeyShaped(label))
    return 'This looks like the secret itself. The name is a label such as Production; the secret comes next.';
  return undefined;
}

/** The text without a leading byte-order mark, which Windows editors write and JSON.parse refuses. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** JSON.parse's message, which quotes the text around the error (`"sk_…" is not valid JSON`): redacted. */
export function jsonErrorText(error: unknown): string {
  return redact(String((error as Error).message).split('\n')[0]!);
}
