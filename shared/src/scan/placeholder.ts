/**
 * What is key-shaped but plainly not a key: documentation placeholders, repeated characters,
 * low-entropy bodies and snake_case identifiers (e.g. Linux's `sk_receive_queue_…`).
 * Each test is rare enough on a random key body (< 1e-6) that it never hides a real key.
 */
const PLACEHOLDER_WORDS = new Set([
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

const MIN_ENTROPY_BITS = 3.0;
const MAX_RUN = 6;
const MAX_SEQUENCE = 6;

export function isPlaceholderKey(secret: string): boolean {
  const body = secret.replace(/^sk_/, '');
  if (body.includes('...') || body.includes('…')) return true;
  const segments = body.split(/[_-]/).filter((s) => s.length > 0);
  if (segments.some((s) => PLACEHOLDER_WORDS.has(s.toLowerCase()) || /^x{3,}$/i.test(s))) return true;
  if (hasRun(body, MAX_RUN) || hasSequence(body, MAX_SEQUENCE)) return true;
  if (shannonEntropy(body) < MIN_ENTROPY_BITS) return true;
  return looksLikeIdentifier(segments);
}

/** `receive_queue_len_max`: several short lower-case words. */
function looksLikeIdentifier(segments: string[]): boolean {
  return segments.length >= 2 && segments.every((s) => s.length <= 12 && /^[a-z][a-z0-9]*$/.test(s));
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

export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const c of counts.values()) {
    const p = c / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
