/**
 * Rewriting a text so an old key is gone: replaced by the new key (working-tree files) or by a marker
 * (history and transcripts). Base64 runs that hold the key are decoded, changed and encoded again in
 * their own variant, so `Basic base64(user:key)` gets the new key too.
 */
import { echoFinder } from '../echo-redactor.js';

/** What replaces a key in shell history, transcripts and rewritten git history: no key shape, no quotes. */
export const REMOVED_MARKER = '[signus-key-removed]';

const BASE64_RUN = /[A-Za-z0-9+/_-]{12,}={0,2}/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toBase64(text: string, urlSafe: boolean, padded: boolean): string {
  let out = btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  if (!padded) out = out.replace(/=+$/, '');
  return urlSafe ? out.replace(/\+/g, '-').replace(/\//g, '_') : out;
}

function fromBase64(run: string): string | undefined {
  let b64 = run.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (b64.length % 4 === 1) return undefined;
  b64 += '='.repeat((4 - (b64.length % 4)) % 4);
  try {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export interface Rewrite {
  text: string;
  /** Copies changed. */
  changed: number;
  /** Copies still there in a form this cannot rewrite (case changed, split by invisible characters…). */
  remaining: number;
}

/** `oldKey` → `replacement` as is, in URL and JSON escapes of its own characters, and inside base64 runs. */
export function replaceKey(text: string, oldKey: string, replacement: string): Rewrite {
  let changed = 0;
  let out = text.replace(new RegExp(escapeRegExp(oldKey), 'g'), () => {
    changed++;
    return replacement;
  });
  if (out.includes('%') || out.includes('\\')) {
    // Each character of the key, or its %XX / \u00XX escape.
    // Hex digits in either case; the key's own letters in their case only.
    const hexClass = (h: string) => (/[a-f]/.test(h) ? `[${h}${h.toUpperCase()}]` : h);
    const pattern = [...oldKey]
      .map((c) => {
        const hex = [...c.charCodeAt(0).toString(16).padStart(2, '0')].map(hexClass).join('');
        return `(?:${escapeRegExp(c)}|%${hex}|\\\\u00${hex})`;
      })
      .join('');
    out = out.replace(new RegExp(pattern, 'g'), () => {
      changed++;
      return replacement;
    });
  }
  out = out.replace(BASE64_RUN, (run) => {
    const decoded = fromBase64(run);
    if (decoded === undefined || !decoded.includes(oldKey)) return run;
    changed++;
    const urlSafe = /[-_]/.test(run);
    // Padded unless the run shows it was not (a length that is no multiple of 4).
    const padded = run.endsWith('=') || run.length % 4 === 0;
    return toBase64(decoded.split(oldKey).join(replacement), urlSafe, padded);
  });
  return { text: out, changed, remaining: remainingCopies(out, oldKey, replacement) };
}

/**
 * Copies of `oldKey` left in `text`, not counting the replacement: two keys may share a prefix longer
 * than the echo finder's 8 characters (`sk_live_acct42_…`), and the new key is no copy of the old one.
 */
function remainingCopies(text: string, oldKey: string, replacement: string): number {
  const blank = (s: string) => ' '.repeat(s.length);
  const without = text
    .split(replacement)
    .join(blank(replacement))
    .replace(BASE64_RUN, (run) => (fromBase64(run)?.includes(replacement) ? blank(run) : run));
  return echoFinder(oldKey)(without).length;
}

/**
 * Scrubbing: every place the key shows, in any form the echo finder knows, becomes REMOVED_MARKER. The
 * rest of the line stays, so a JSON-lines transcript stays valid JSON and a history file keeps its shape.
 */
export function scrubKey(text: string, key: string): Rewrite {
  const replaced = replaceKey(text, key, REMOVED_MARKER);
  const spans = echoFinder(key)(replaced.text);
  if (spans.length === 0) return replaced;
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += replaced.text.slice(at, start) + REMOVED_MARKER;
    at = end;
  }
  out += replaced.text.slice(at);
  return { text: out, changed: replaced.changed + spans.length, remaining: echoFinder(key)(out).length };
}
