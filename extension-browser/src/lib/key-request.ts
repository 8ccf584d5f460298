import { testApiKey } from '@signus/shared';
import { hostOf, originPattern } from './origins.js';
import type { Platform } from './platform.js';
import type { KeyTestOutcome, KeyTestRequestInput } from './run-key-test.js';

/** The request itself, once the host permission is settled (run-key-test.ts). Loaded after first paint. */
export async function requestKeyTest(
  platform: Platform,
  input: Pick<KeyTestRequestInput, 'secret' | 'accountId' | 'baseUrl' | 'timeoutMs' | 'signal'>,
): Promise<KeyTestOutcome> {
  const result = await testApiKey({
    secret: input.secret,
    accountId: input.accountId,
    baseUrl: input.baseUrl,
    timeoutMs: input.timeoutMs,
    signal: input.signal,
    ...(platform.fetch && { fetch: platform.fetch }),
  });
  // A browser reports a fetch it blocked for want of a host permission as a plain network error.
  if (result.verdict === 'network_error' && !(await platform.hasOrigins([originPattern(input.baseUrl)]))) {
    const host = hostOf(input.baseUrl);
    return {
      kind: 'permission_denied',
      host,
      message: `The browser does not let this extension reach ${host}, so the request was blocked. Allow the site in the extension's site access settings, then test again.`,
    };
  }
  return { kind: 'result', result };
}
