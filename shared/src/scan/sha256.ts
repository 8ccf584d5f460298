/**
 * SHA-256 of a string's UTF-8 bytes, synchronous. The scanner hashes every candidate that might be one
 * of the user's keys; Web Crypto's digest costs ~60 µs a call (a promise and a copy each time) and
 * @noble/hashes ~11 µs on a 40-character string, this ~1.5 µs, as fast as node:crypto's createHash.
 * It is checked against node:crypto on random text in the tests.
 */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const INITIAL = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const HEX_DIGITS = new Uint8Array([...'0123456789abcdef'].map((c) => c.charCodeAt(0)));
const hexCodes: number[] = new Array<number>(64).fill(0);
const W = new Int32Array(64);
const H = new Int32Array(8);
const encoder = new TextEncoder();
let block = new Uint8Array(1024);

/** Lower-case hex SHA-256 of `text` encoded as UTF-8 (lone surrogates as U+FFFD, as TextEncoder does). */
export function sha256Hex(text: string): string {
  return digestHex(sha256Words(text));
}

/**
 * The SHA-256 of `text` as eight signed 32-bit words: shared state, valid until the next call. The
 * scanner compares the first word with its known keys' before it spends a string on the hex.
 */
export function sha256Words(text: string): Int32Array {
  if (text.length <= 55 && shortAsciiWords(text)) {
    H.set(INITIAL);
    rounds();
    return H;
  }
  if (block.length < text.length * 3 + 72) block = new Uint8Array(text.length * 6 + 72);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) {
      n = encoder.encodeInto(text, block).written;
      break;
    }
    block[n++] = c;
  }
  const total = ((n + 9 + 63) >>> 6) << 6;
  block.fill(0, n, total);
  block[n] = 0x80;
  const high = Math.floor(n / 0x20000000);
  const low = (n * 8) >>> 0;
  block[total - 8] = high >>> 24;
  block[total - 7] = high >>> 16;
  block[total - 6] = high >>> 8;
  block[total - 5] = high;
  block[total - 4] = low >>> 24;
  block[total - 3] = low >>> 16;
  block[total - 2] = low >>> 8;
  block[total - 1] = low;
  H.set(INITIAL);
  for (let off = 0; off < total; off += 64) compress(off);
  return H;
}

/** Lower-case hex of a digest's eight words. */
export function digestHex(words: Int32Array): string {
  for (let i = 0; i < 8; i++) {
    const v = words[i]!;
    for (let j = 0; j < 8; j++) hexCodes[i * 8 + j] = HEX_DIGITS[(v >>> (28 - j * 4)) & 15]!;
  }
  // One flat string: 32 concatenations would leave a rope that every Map lookup flattens again.
  return String.fromCharCode(...hexCodes);
}

/**
 * A candidate is nearly always ASCII and under 56 bytes: one block, its words packed straight from
 * the character codes into W (no byte buffer). False, with W partly written, for any other text.
 */
function shortAsciiWords(text: string): boolean {
  const n = text.length;
  W.fill(0, 0, 16);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return false;
    W[i >> 2]! |= c << (24 - ((i & 3) << 3));
  }
  W[n >> 2]! |= 0x80 << (24 - ((n & 3) << 3));
  W[15] = n * 8;
  return true;
}

function compress(off: number): void {
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    W[i] = (block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!;
  }
  rounds();
}

/** The message schedule from W[0..15] and the 64 rounds, added into H. */
function rounds(): void {
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15]!;
    const b = W[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = H[0]!;
  let b = H[1]!;
  let c = H[2]!;
  let d = H[3]!;
  let e = H[4]!;
  let f = H[5]!;
  let g = H[6]!;
  let h = H[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}
