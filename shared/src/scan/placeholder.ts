/**
 * What is key-shaped but plainly typed by a person: documentation placeholders (`sk_your_key_here`,
 * `sk_...`), repeated characters and runs like `123456`. Each test is rare enough on a random key body
 * (< 1e-7, docs/leak-guard.md) that it never hides a real key. Names (`sk_X509_EXTENSION_value`) are
 * told from keys in filters.ts.
 */
export const PLACEHOLDER_WORDS = new Set([
  'your',
  'yours',
  'example',
  'placeholder',
  'replace',
  'redacted',
  'insert',
  'changeme',
  'here',
  'secret',
  'key',
  'apikey',
  'token',
  'xxx',
  'todo',
  'sample',
]);

/** Typed by hand: `00000000`, `12345678`. Eight, not six: hex keys hold six in a row too often (1 in 4,000). */
const MAX_RUN = 8;
const MAX_SEQUENCE = 8;

/** The longest word in PLACEHOLDER_WORDS: longer segments are never looked up (no copy, no lower-casing). */
const MAX_WORD_LENGTH = Math.max(...[...PLACEHOLDER_WORDS].map((w) => w.length));
const UNDERSCORE = 0x5f;
const HYPHEN = 0x2d;

/**
 * One pass over the body, copying nothing but short segments: it runs on every distinct candidate,
 * and a file of 25,000 distinct keys on one line is a real input (issue 9 §3). In that pass: the
 * segments between `_` and `-` (placeholder words, `xxx`), runs of one character (`00000000`) and
 * sequences (`12345678`, `abcdefgh`, `fedcba98`).
 */
export function isPlaceholderKey(secret: string): boolean {
  const from = secret.startsWith('sk_') ? 3 : 0;
  if (secret.includes('...', from) || secret.includes('…', from)) return true;
  let start = from;
  let run = 1;
  let up = 1;
  let down = 1;
  let previous = -1;
  for (let i = from; i < secret.length; i++) {
    const c = secret.charCodeAt(i);
    if (c === UNDERSCORE || c === HYPHEN) {
      if (isPlaceholderSegment(secret, start, i)) return true;
      start = i + 1;
    }
    if (i > from) {
      const d = c - previous;
      run = d === 0 ? run + 1 : 1;
      up = d === 1 ? up + 1 : 1;
      down = d === -1 ? down + 1 : 1;
      if (run >= MAX_RUN || up >= MAX_SEQUENCE || down >= MAX_SEQUENCE) return true;
    }
    previous = c;
  }
  return isPlaceholderSegment(secret, start, secret.length);
}

/** `your`, `HERE`, `xxx`, `XXXXXXXX`: a placeholder word, or three or more x's. */
function isPlaceholderSegment(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length === 0) return false;
  if (length >= 3 && isAllX(text, start, end)) return true;
  return length <= MAX_WORD_LENGTH && PLACEHOLDER_WORDS.has(text.slice(start, end).toLowerCase());
}

function isAllX(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if ((text.charCodeAt(i) | 0x20) !== 0x78 /* x or X */) return false;
  return true;
}
