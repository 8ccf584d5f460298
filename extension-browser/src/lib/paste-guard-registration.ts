import browser from 'webextension-polyfill';
import { browserPlatform } from './browser-platform.js';
import { GUARD_SCRIPT_FILE, GUARD_SCRIPT_ID } from './paste-guard.js';
import type { OptionsPlatform } from './platform.js';

/**
 * Registers the paste guard's content script for exactly these match patterns, or not at all when there
 * are none: it runs on no page the user did not name (scripting.registerContentScripts, in Chrome and in
 * Firefox, which has it in Manifest V2 too).
 */
export async function registerPasteGuard(patterns: string[]): Promise<void> {
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [GUARD_SCRIPT_ID] });
  if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: [GUARD_SCRIPT_ID] });
  if (patterns.length === 0) return;
  await browser.scripting.registerContentScripts([
    { id: GUARD_SCRIPT_ID, js: [GUARD_SCRIPT_FILE], matches: patterns, allFrames: true, runAt: 'document_idle' },
  ]);
}

export function optionsPlatform(): OptionsPlatform {
  return {
    ...browserPlatform(),
    removeOrigins: (origins) => browser.permissions.remove({ origins }),
    registerPasteGuard,
  };
}
