import { KEY_PREFIX } from './key-format.js';
import { MASK_BULLETS, maskSecret, redact } from './mask.js';

/**
 * How many consecutive characters of a key's body count as the key showing. Fewer cannot be told from
 * chance (a server that echoes the key a few characters at a time cannot be caught); more would let a
 * hostile server show most of the key in slices.
 */
export const ECHO_RUN = 8;

/** Turns a final string (one that is about to leave the core) into one that carries no part of the key. */
export type Redactor = (text: string) => string;

/**
 * A redactor for one secret: it finds the key's body (the secret without `sk_`) in every form a server
 * could echo it in and masks it there, in the text as it is, so the masked text keeps its own form.
 *
 * A form is a *view* of the text: the text decoded one way, with each decoded character remembering the
 * span of the original it came from. Views: as is; JSON-unescaped (`\u0061`, `\/`); percent-decoded
 * (`%61`, any case); both; each with invisible characters (zero-width, bidi, controls) left out, since
 * they can split a key that a screen still shows whole. In each view it looks for any 8-character run
 * of the body, ignoring letter case, and for any 8 characters of the body's base64 (standard or
 * URL-safe, at each of the 3 byte alignments). Every match masks the original span it came from.
 */
export function echoRedactor(secret: string): Redactor {
  const body = secret.startsWith(KEY_PREFIX) ? secret.slice(KEY_PREFIX.length) : secret;
  if (body.length < ECHO_RUN) return (text) => redact(text, [secret]);
  const grams = gramTables(body);
  return (text) => redact(maskSpans(text, findEchoes(text, grams), body), [secret]);
}

/** Where a key shows in a text, in the forms `echoRedactor` knows: sorted, merged `[start, end)` spans. */
export type EchoFinder = (text: string) => Span[];

export function echoFinder(secret: string): EchoFinder {
  const body = secret.startsWith(KEY_PREFIX) ? secret.slice(KEY_PREFIX.length) : secret;
  if (body.length < ECHO_RUN) return (text) => literalSpans(text, secret);
  const grams = gramTables(body);
  return (text) => mergeSpans(findEchoes(text, grams));
}

/** The mask for one span: a span that is exactly the body keeps its last 4 characters, as `maskSecret` shows them. */
export function echoMask(covered: string, secret: string): string {
  return bodyMask(covered, secret.startsWith(KEY_PREFIX) ? secret.slice(KEY_PREFIX.length) : secret);
}

function bodyMask(covered: string, body: string): string {
  return covered === body ? maskSecret(`${KEY_PREFIX}${body}`).slice(KEY_PREFIX.length) : MASK_BULLETS;
}

function literalSpans(text: string, secret: string): Span[] {
  const spans: Span[] = [];
  if (secret.length === 0) return spans;
  for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + secret.length)) {
    spans.push([at, at + secret.length]);
  }
  return spans;
}

function mergeSpans(spans: Span[]): Span[] {
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  return merged;
}

interface GramTables {
  /** Every 8-character run of the body, letter case ignored, as a number (`gramCode`). */
  literal: Set<number>;
  /** Every 8 characters of the body's base64 that depend on the body alone, URL-safe folded to standard. */
  base64: Set<number>;
  /** Every 4-character run of either, packed into a number: a quick test that rules out most places. */
  quads: Set<number>;
}

/** 6 bits per character, so 8 characters make one exact number (48 bits) and no string is built. */
const LITERAL_SYMBOLS = symbolTable('abcdefghijklmnopqrstuvwxyz0123456789-_', true);
const BASE64_SYMBOLS = symbolTable('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', false);
BASE64_SYMBOLS[45] = 62; // '-' as '+'
BASE64_SYMBOLS[95] = 63; // '_' as '/'

function symbolTable(alphabet: string, foldCase: boolean): Int8Array {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) {
    table[alphabet.charCodeAt(i)] = i;
    if (foldCase) table[alphabet.toUpperCase().charCodeAt(i)] = i;
  }
  return table;
}

/** The 8 characters at `at` as one number, or -1 when one of them is outside the table's alphabet. */
function gramCode(text: string, at: number, symbols: Int8Array): number {
  let code = 0;
  for (let i = 0; i < ECHO_RUN; i++) {
    const c = text.charCodeAt(at + i);
    const symbol = c < 128 ? (symbols[c] as number) : -1;
    if (symbol < 0) return -1;
    code = code * 64 + symbol;
  }
  return code;
}

/**
 * A body with characters outside the key alphabet (no real key has them) is matched only in runs of
 * key characters; the whole secret is still masked literally by `redact`.
 */
function gramTables(body: string): GramTables {
  const literal = new Set<number>();
  const base64 = new Set<number>();
  const quads = new Set<number>();
  const add = (set: Set<number>, text: string, symbols: Int8Array): void => {
    for (let i = 0; i + ECHO_RUN <= text.length; i++) {
      const code = gramCode(text, i, symbols);
      if (code >= 0) set.add(code);
    }
    for (let i = 0; i + 4 <= text.length; i++) quads.add(pack(text, i));
  };
  add(literal, body, LITERAL_SYMBOLS);
  const bytes = new TextEncoder().encode(body);
  for (let align = 0; align < 3; align++) {
    const shifted = new Uint8Array(align + bytes.length);
    shifted.set(bytes, align);
    const encoded = btoa(String.fromCharCode(...shifted));
    // Only whole 3-byte groups inside the body encode the same whatever surrounds it.
    const first = Math.ceil(align / 3) * 4;
    const last = Math.floor((align + bytes.length) / 3) * 4;
    add(base64, encoded.slice(first, last), BASE64_SYMBOLS);
  }
  return { literal, base64, quads };
}

/** Four characters as one number; letters are lower-cased and URL-safe base64 folded to standard. */
function pack(text: string, at: number): number {
  let n = 0;
  for (let i = 0; i < 4; i++) n = n * 128 + fold(text.charCodeAt(at + i));
  return n;
}

function fold(code: number): number {
  if (code >= 65 && code <= 90) return code + 32;
  if (code === 45) return 43; // '-' → '+'
  if (code === 95) return 47; // '_' → '/'
  return code < 128 ? code : 127;
}

/** The text decoded one way: each character's span in the original text (null: the original itself). */
interface View {
  text: string;
  start: Uint32Array | null;
  end: Uint32Array | null;
}

export type Span = [start: number, end: number];

function findEchoes(text: string, grams: GramTables): Span[] {
  const spans: Span[] = [];
  const original: View = { text, start: null, end: null };
  search(decode(original, VISIBLE), grams, spans);
  if (text.includes('\\')) {
    const json = decode(original, JSON_ESCAPES);
    search(decode(json, VISIBLE), grams, spans);
    if (json.text.includes('%')) search(decode(decode(json, PERCENT), VISIBLE), grams, spans);
  }
  if (text.includes('%')) search(decode(decode(original, PERCENT), VISIBLE), grams, spans);
  return spans;
}

/**
 * Any run of 8 contains a whole 4-character block at a position that is a multiple of 4, so only those
 * blocks are looked up; a hit is then checked at the 5 places an 8-run around it could start.
 */
function search(view: View, grams: GramTables, spans: Span[]): void {
  const { text, start, end } = view;
  const n = text.length;
  let lastChecked = -1;
  let last: Span | undefined;
  for (let q = 0; q + 4 <= n; q += 4) {
    if (!grams.quads.has(pack(text, q))) continue;
    for (let p = Math.max(0, q - 4, lastChecked + 1); p <= q && p + ECHO_RUN <= n; p++) {
      lastChecked = p;
      if (
        !grams.literal.has(gramCode(text, p, LITERAL_SYMBOLS)) &&
        !grams.base64.has(gramCode(text, p, BASE64_SYMBOLS))
      ) {
        continue;
      }
      const from = start ? (start[p] as number) : p;
      const to = end ? (end[p + ECHO_RUN - 1] as number) : p + ECHO_RUN;
      // Matches come in order: one echo makes one span, not one per character.
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else spans.push((last = [from, to]));
    }
  }
}

const JSON_ESCAPES = 1;
const PERCENT = 2;
const VISIBLE = 3;
type Decoding = typeof JSON_ESCAPES | typeof PERCENT | typeof VISIBLE;

const BACKSLASH = 92;
const PERCENT_SIGN = 37;
const JSON_SIMPLE: Record<number, number> = { 98: 8, 102: 12, 110: 10, 114: 13, 116: 9 };

/**
 * One decoding of a view, in one pass over character codes (a 2 MiB body is decoded in milliseconds).
 * - JSON string escapes. A backslash before another backslash is kept and the second one read afresh:
 *   `\\u0041` is a backslash and `u0041` to JSON, but a careless decoder makes an `A` of it, and a mask
 *   that is too wide costs nothing.
 * - Percent escapes, any case; multi-byte UTF-8 is left alone, as no character of a key needs it.
 * - Invisible characters left out (controls, line breaks, zero-width and bidi characters), since they
 *   can split a key that a screen still shows whole. Returns the view itself when it has none.
 */
function decode(view: View, decoding: Decoding): View {
  const { text, start: inStart, end: inEnd } = view;
  const n = text.length;
  if (decoding === VISIBLE && !INVISIBLE.test(text)) return view;
  const codes = new Uint16Array(n);
  const start = new Uint32Array(n);
  const end = new Uint32Array(n);
  let length = 0;
  for (let i = 0; i < n;) {
    const code = text.charCodeAt(i);
    let out = code;
    let used = 1;
    if (decoding === JSON_ESCAPES) {
      if (code === BACKSLASH && i + 1 < n) {
        const next = text.charCodeAt(i + 1);
        if (next === 117 /* u */) {
          const value = hexAt(text, i + 2, 4);
          if (value >= 0) {
            out = value;
            used = 6;
          }
        } else if (next !== BACKSLASH) {
          out = JSON_SIMPLE[next] ?? next;
          used = 2;
        }
      }
    } else if (decoding === PERCENT) {
      if (code === PERCENT_SIGN) {
        const value = hexAt(text, i + 1, 2);
        if (value >= 0 && value < 0x80) {
          out = value;
          used = 3;
        }
      }
    } else if (isInvisible(code)) {
      out = -1;
    }
    if (out >= 0) {
      codes[length] = out;
      start[length] = inStart ? (inStart[i] as number) : i;
      end[length] = inEnd ? (inEnd[i + used - 1] as number) : i + used;
      length++;
    }
    i += used;
  }
  return {
    text: utf16.decode(codes.subarray(0, length)),
    start: start.subarray(0, length),
    end: end.subarray(0, length),
  };
}

const utf16 = new TextDecoder('utf-16le');

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** The value of `count` hex digits at `at`, or -1. */
function hexAt(text: string, at: number, count: number): number {
  if (at + count > text.length) return -1;
  let value = 0;
  for (let i = 0; i < count; i++) {
    const digit = hexDigit(text.charCodeAt(at + i));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** C0 and C1 controls, DEL, soft hyphen, zero-width characters, bidi controls, word joiners, BOM. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

function isInvisible(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0xad ||
    code === 0x61c ||
    code === 0x180e ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x206f) ||
    code === 0xfeff
  );
}

/**
 * Each merged span becomes the mask. Where a span is exactly the key's body, the mask keeps its last 4
 * characters, as `maskSecret` shows them; a span that is only part of it shows nothing.
 */
function maskSpans(text: string, spans: Span[], body: string): string {
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of mergeSpans(spans)) {
    parts.push(text.slice(at, start), bodyMask(text.slice(start, end), body));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
