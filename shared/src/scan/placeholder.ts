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

export function isPlaceholderKey(secret: string): boolean {
  const body = secret.replace(/^sk_/, '');
  if (body.includes('...') || body.includes('…')) return true;
  const segments = body.split(/[_-]/).filter((s) => s.length > 0);
  if (segments.some((s) => PLACEHOLDER_WORDS.has(s.toLowerCase()) || /^x{3,}$/i.test(s))) return true;
  return hasRun(body, MAX_RUN) || hasSequence(body, MAX_SEQUENCE);
}

function hasRun(text: string, n: number): boolean {
  let run = 1;
  for (let i = 1; i < text.length; i++) {
    run = text[i] === text[i - 1] ? run + 1 : 1;
    if (run >= n) return true;
  }
  return false;
}

/** `123456`, `abcdef`, `fedcba`: typed by hand, not generated. */
function hasSequence(text: string, n: number): boolean {
  let up = 1;
  let down = 1;
  for (let i = 1; i < text.length; i++) {
    const d = text.charCodeAt(i) - text.charCodeAt(i - 1);
    up = d === 1 ? up + 1 : 1;
    down = d === -1 ? down + 1 : 1;
    if (up >= n || down >= n) return true;
  }
  return false;
}
