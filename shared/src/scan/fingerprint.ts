/** SHA-256 in plain code (sha256.ts), so the same code runs in Node, the browser and the VS Code host. */
import { sha256Hex } from './sha256.js';

const encoder = new TextEncoder();

export async function fingerprintSecret(secret: string): Promise<string> {
  return sha256Hex(secret);
}

/** The forms a key takes when it is encoded on its way into a file. */
export function encodedForms(secret: string): string[] {
  const base64 = bytesToBase64(encoder.encode(secret));
  const unpadded = base64.replace(/=+$/, '');
  const base64url = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
  const url = encodeURIComponent(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  return [...new Set([secret, base64, unpadded, base64url, url, json])];
}

/** The fingerprints of the key and of its base64 (padded, unpadded, URL-safe), URL-encoded and JSON-escaped forms. */
export async function knownKeyFingerprints(secret: string): Promise<string[]> {
  return Promise.all(encodedForms(secret).map(fingerprintSecret));
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** No key is longer than this; what follows in a long base64 run is not decoded. */
const MAX_DECODED_BASE64 = 256;
const LEADING_KEY = /^sk_[A-Za-z0-9_-]+/;

/**
 * The key a base64 run starting with `c2tf` (base64 of `sk_`) decodes to, without what was encoded
 * after it: `echo $KEY | base64` encodes the key and a newline, `base64(key:account)` a separator.
 * Undefined when the run does not decode to a key.
 */
export function keyInBase64(run: string): string | undefined {
  let b64 = run.slice(0, MAX_DECODED_BASE64).replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (b64.length % 4 === 1) b64 = b64.slice(0, -1);
  let decoded: string;
  try {
    decoded = atob(b64);
  } catch {
    return undefined;
  }
  return LEADING_KEY.exec(decoded)?.[0];
}
