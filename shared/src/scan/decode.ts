/**
 * Bytes to text for the scanner, or "binary". A key can sit in a UTF-16 file (what Windows PowerShell's
 * `>` writes) or in a text file with a stray NUL byte, and git's "a NUL in the first 8000 bytes means
 * binary" would skip both. So: a byte-order mark decides; else the NUL pattern of UTF-16 text (every
 * other byte NUL, on the odd bytes for little-endian ASCII, the even ones for big-endian); else a file is
 * binary only if a NUL comes before the first line ends or its sample looks like no text at all.
 */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export type Decoded = { binary: false; text: string; encoding: TextEncodingName } | { binary: true };

/** As git samples. */
export const SNIFF_BYTES = 8000;
/** Share of the sample that may be control bytes (NUL and C0 but tab, line breaks, form feed, escape). */
const MAX_CONTROL_SHARE = 0.1;
/** Share of the odd (or even) bytes that are NUL in UTF-16 text of mostly ASCII characters. */
const UTF16_NUL_SHARE = 0.7;

export function sniffEncoding(bytes: Uint8Array): TextEncodingName | 'binary' {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const n = Math.min(bytes.length, SNIFF_BYTES);
  // The common case, in native code: no NUL in the sample.
  if (bytes.subarray(0, n).indexOf(0) === -1) return 'utf-8';
  let nulEven = 0;
  let nulOdd = 0;
  let control = 0;
  let firstNul = -1;
  let firstNewline = -1;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) {
      if (firstNul === -1) firstNul = i;
      if (i & 1) nulOdd++;
      else nulEven++;
      control++;
    } else if (b === 0x0a) {
      if (firstNewline === -1) firstNewline = i;
    } else if (b < 0x20 && b !== 0x09 && b !== 0x0c && b !== 0x0d && b !== 0x1b) control++;
  }
  const half = n / 2;
  if (n >= 4) {
    if (nulOdd >= half * UTF16_NUL_SHARE && nulEven < half * 0.05) return 'utf-16le';
    if (nulEven >= half * UTF16_NUL_SHARE && nulOdd < half * 0.05) return 'utf-16be';
  }
  // A NUL on the first line is a file format's header (ELF, class files, archives...).
  if (firstNewline === -1 || firstNul < firstNewline) return 'binary';
  return control <= n * MAX_CONTROL_SHARE ? 'utf-8' : 'binary';
}

/**
 * The same test on text already decoded, as an editor holds it: text that came from UTF-16 holds no NUL,
 * so only what sniffEncoding calls binary in a UTF-8 file is binary here.
 */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, SNIFF_BYTES);
  const firstNul = sample.indexOf('\u0000');
  if (firstNul === -1) return false;
  const firstNewline = sample.indexOf('\n');
  if (firstNewline === -1 || firstNul < firstNewline) return true;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d && c !== 0x1b) control++;
  }
  return control > sample.length * MAX_CONTROL_SHARE;
}

const decoders = new Map<TextEncodingName, TextDecoder>();

/** Decodes as sniffEncoding says; a byte-order mark is dropped, so columns count from the text. */
export function decodeText(bytes: Uint8Array): Decoded {
  const encoding = sniffEncoding(bytes);
  if (encoding === 'binary') return { binary: true };
  let decoder = decoders.get(encoding);
  if (!decoder) decoders.set(encoding, (decoder = new TextDecoder(encoding)));
  return { binary: false, text: decoder.decode(bytes), encoding };
}
