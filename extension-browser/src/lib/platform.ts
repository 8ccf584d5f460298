import type { FetchLike } from '@signus/shared';

/** One storage area: `local` (kept on disk) or `session` (memory only, gone when the browser closes). */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * Everything the popup and options page need from the browser, behind one small interface:
 * the real one wraps webextension-polyfill (./browser-platform.ts), tests pass a fake.
 */
export interface Platform {
  local: KeyValueStore;
  session: KeyValueStore;
  /** Asks for optional host permissions; resolves false when the user refuses. */
  requestOrigins(origins: string[]): Promise<boolean>;
  /** Whether the extension may reach these hosts now (the user can withdraw even the manifest's). */
  hasOrigins(origins: string[]): Promise<boolean>;
  writeClipboard(text: string): Promise<void>;
  openOptions(): Promise<void>;
  fetch?: FetchLike;
}

/** What the options page needs besides: the paste guard's sites (kept out of the popup's first paint). */
export interface OptionsPlatform extends Platform {
  /** Gives host permissions back (a site the paste guard no longer watches). */
  removeOrigins(origins: string[]): Promise<boolean>;
  /** Runs the paste guard on exactly these match patterns' pages (none: on no page). */
  registerPasteGuard(patterns: string[]): Promise<void>;
}
