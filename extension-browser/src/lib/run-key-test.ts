import type { KeyTestResult } from '@signus/shared';
import { loadTester } from './load-tester.js';
import { grantedByManifest, hostOf, originPattern } from './origins.js';
import { dropDraft, parkDraft, type PermissionDraft } from './permission-draft.js';
import type { Platform } from './platform.js';

export interface KeyTestRequestInput {
  secret: string;
  accountId: string;
  baseUrl: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** Called as the browser is asked for a host permission, so the UI can say it waits for the user. */
  onPermissionPrompt?: (host: string) => void;
  /** The form, parked in session storage while a prompt may close the popup (see permission-draft.ts). */
  draft?: Omit<PermissionDraft, 'savedAt' | 'origin' | 'secret' | 'accountId' | 'baseUrl'>;
  /**
   * Resuming a parked test in a reopened popup: the prompt was answered while the popup was closed, so
   * the answer is read from the browser's granted permissions (there is no click left to prompt from).
   */
  resume?: boolean;
}

export type KeyTestOutcome =
  | { kind: 'result'; result: KeyTestResult }
  /** The browser would block the request: the host permission was refused or could not be asked for. */
  | { kind: 'permission_denied'; host: string; message: string };

/**
 * Makes sure the extension may reach the base URL's host, then runs the core's key test.
 * The permission request comes first, with no await before it: Firefox only shows the prompt while
 * the click that asked for it is still being handled.
 */
export async function runKeyTest(platform: Platform, input: KeyTestRequestInput): Promise<KeyTestOutcome> {
  if (!grantedByManifest(input.baseUrl)) {
    const host = hostOf(input.baseUrl);
    const origin = originPattern(input.baseUrl);
    let granted: boolean;
    let parked: Promise<void> | undefined;
    // An origin granted before answers at once; only a real prompt takes long enough to mention.
    const prompting = setTimeout(() => input.onPermissionPrompt?.(host), 150);
    try {
      if (input.resume) {
        granted = await platform.hasOrigins([origin]);
      } else {
        parked = input.draft
          ? parkDraft(platform, {
              ...input.draft,
              secret: input.secret,
              accountId: input.accountId,
              baseUrl: input.baseUrl,
              origin,
            })
          : undefined;
        // No await between the click and this request (Firefox's user-action rule).
        granted = await platform.requestOrigins([origin]);
      }
    } catch (error) {
      return {
        kind: 'permission_denied',
        host,
        message: `The extension could not ask for permission to reach ${host} (${error instanceof Error ? error.message : String(error)}). Add ${host} as an environment in Options and allow it there.`,
      };
    } finally {
      clearTimeout(prompting);
      // Still open after the answer: this popup carries on itself, and the parked key goes.
      if (parked) await parked.then(() => dropDraft(platform));
    }
    if (!granted) {
      return {
        kind: 'permission_denied',
        host,
        message: `Permission to reach ${host} was ${input.resume ? 'not granted' : 'refused'}, so the key was not sent. Test again and choose Allow, or add the environment in Options.`,
      };
    }
  }
  const { requestKeyTest } = await loadTester();
  return requestKeyTest(platform, input);
}
