import type { Platform } from './platform.js';

/**
 * A test waiting on a host-permission prompt. Chrome (and Firefox) close the toolbar popup when their
 * prompt takes focus, and with it the popup's memory: the form is parked in session storage (memory
 * only, never written to disk, gone when the browser closes) just before the prompt, and the popup
 * picks it up when it opens again — by itself after "Allow" (the background reopens it), by the user
 * after "Deny".
 */
export interface PermissionDraft {
  secret: string;
  accountId: string;
  environmentId: string;
  customBaseUrl: string;
  baseUrl: string;
  /** The match pattern asked for. */
  origin: string;
  remember: boolean;
  savedAt: number;
}

export const DRAFT_KEY = 'permissionDraft';
/** A prompt answered later than this is a different errand: the key is not brought back. */
export const DRAFT_TTL_MS = 5 * 60_000;

/**
 * Not awaited by the caller on purpose: the permission request must follow in the same task (Firefox
 * drops a prompt not tied to the click). The browser handles the extension's storage call before the
 * request that comes after it, so the draft is stored even though the popup is about to close.
 */
export function parkDraft(platform: Platform, draft: Omit<PermissionDraft, 'savedAt'>): Promise<void> {
  return platform.session.set(DRAFT_KEY, { ...draft, savedAt: Date.now() });
}

export function dropDraft(platform: Platform): Promise<void> {
  return platform.session.remove(DRAFT_KEY);
}

/** The parked test, removed as it is read; a stale one is dropped unread. */
export async function takeDraft(platform: Platform, now = Date.now()): Promise<PermissionDraft | undefined> {
  const draft = await platform.session.get<PermissionDraft>(DRAFT_KEY);
  if (draft === undefined) return undefined;
  await dropDraft(platform);
  return now - draft.savedAt <= DRAFT_TTL_MS ? draft : undefined;
}

/** Read without taking: the background only needs to know whether a popup should come back for it. */
export async function peekDraftOrigin(platform: Pick<Platform, 'session'>): Promise<string | undefined> {
  return (await platform.session.get<PermissionDraft>(DRAFT_KEY))?.origin;
}
