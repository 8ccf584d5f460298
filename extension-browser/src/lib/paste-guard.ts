import { keyShapedRuns } from '@signus/shared';
import type { Platform } from './platform.js';

/**
 * The paste guard's rules, apart from the page it runs in (src/entrypoints/paste-guard.content.ts):
 * which text is a Signus key, how a key the user tested is recognised without keeping it, and which
 * sites the user asked to guard. The key's shape is the core's (key-format.ts); nothing here has a
 * pattern of its own.
 */

/** What "Paste a placeholder" puts in the page instead of the key. */
export const PLACEHOLDER = 'YOUR_SIGNUS_API_KEY';
/** storage.local: SHA-256 fingerprints of keys tested in the popup (never the keys). */
export const FINGERPRINTS_KEY = 'testedKeyFingerprints';
/** storage.local: the origins the user turned the guard on for. */
export const GUARDED_SITES_KEY = 'pasteGuardSites';
export const MAX_FINGERPRINTS = 20;
/** The content script's id in scripting.registerContentScripts, and its file in the build. */
export const GUARD_SCRIPT_ID = 'signus-paste-guard';
export const GUARD_SCRIPT_FILE = 'content-scripts/paste-guard.js';
/** The guard's message to the background: the user chose to test the key in the popup. */
export const TEST_KEY_MESSAGE = 'signus:test-key-from-page';

/** SHA-256 of the key, hex: enough to know a key again, useless to use one. */
export async function fingerprint(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Remembers a tested key by its fingerprint, the newest first, at most MAX_FINGERPRINTS. */
export async function rememberTestedKey(platform: Pick<Platform, 'local'>, secret: string): Promise<void> {
  const print = await fingerprint(secret);
  const known = (await platform.local.get<string[]>(FINGERPRINTS_KEY)) ?? [];
  await platform.local.set(FINGERPRINTS_KEY, [print, ...known.filter((p) => p !== print)].slice(0, MAX_FINGERPRINTS));
}

/** A key-shaped run in the text, as the core finds them (also glued to other text). */
export function keyShapedIn(text: string): string | undefined {
  return keyShapedRuns(text)[0]?.text;
}

/**
 * Pasted text that could be a tested key of another shape: one token, of a key's length. Only such text
 * is held back while its fingerprint is computed (hashing takes a moment, a paste must be stopped at once).
 */
export function fingerprintCandidate(text: string): string | undefined {
  const token = text.trim();
  return token.length >= 20 && token.length <= 256 && !/\s/.test(token) ? token : undefined;
}

/** `github.com`, `https://github.com/org/repo` → `https://github.com`; undefined when it is no web origin. */
export function siteOrigin(input: string): string | undefined {
  const text = input.trim();
  if (text === '') return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The match pattern of a guarded site: every page of that host (every port, as match patterns go). */
export function sitePattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

export async function guardedSites(platform: Pick<Platform, 'local'>): Promise<string[]> {
  return (await platform.local.get<string[]>(GUARDED_SITES_KEY)) ?? [];
}
