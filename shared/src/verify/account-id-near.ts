/**
 * An Account ID written next to a key, as configuration files and snippets do
 * (`SIGNUS_ACCOUNT_ID=<uuid>`, `"accountId": "<uuid>"`, `account_id: '<uuid>'`): the key's own account
 * is the one to verify it against when none is given.
 */
const ASSIGNED_UUID =
  /[A-Za-z0-9_.-]*account[A-Za-z0-9_.-]*["'`]?\s*(?:=|:|=>)\s*["'`]?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9a-f-])/gi;

/** How many lines above and below the key are looked at. */
export const ACCOUNT_ID_WINDOW = 5;

/**
 * The UUID assigned to a name containing "account" nearest to `line` (1-based), within `window` lines;
 * on equal distance the one above wins (configuration usually names the account first).
 */
export function accountIdNear(
  text: string,
  line: number,
  window = ACCOUNT_ID_WINDOW,
): { accountId: string; line: number } | undefined {
  const lines = text.split('\n');
  let best: { accountId: string; line: number } | undefined;
  for (let n = Math.max(1, line - window); n <= Math.min(lines.length, line + window); n++) {
    for (const m of lines[n - 1]!.matchAll(ASSIGNED_UUID)) {
      const distance = Math.abs(n - line);
      if (!best || distance < Math.abs(best.line - line)) best = { accountId: m[1]!.toLowerCase(), line: n };
    }
  }
  return best;
}
