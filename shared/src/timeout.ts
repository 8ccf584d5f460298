/**
 * The longest delay a timer holds: setTimeout in browsers and Node stores it as a signed 32-bit number
 * of milliseconds, and anything larger fires at once (Node warns and uses 1 ms).
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export type ParsedTimeout = { ms: number; problem?: undefined } | { ms?: undefined; problem: string };

/**
 * A timeout given in seconds as text (`15`, `2.5`), as milliseconds for a timer. Plain decimal only:
 * `Infinity`, `NaN`, `1e3`, `0x10`, negatives, and values that round to 0 ms or exceed MAX_TIMER_MS are
 * refused with a message that says why (without quoting the value: the caller does, redacted).
 */
export function parseTimeoutSeconds(raw: string): ParsedTimeout {
  const text = raw.trim();
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(text)) return { problem: 'must be a number of seconds above 0, such as 15 or 2.5' };
  const ms = Math.round(Number(text) * 1000);
  if (ms < 1) return { problem: 'must be at least 0.001 seconds (1 ms)' };
  if (ms > MAX_TIMER_MS)
    return { problem: `can be at most ${MAX_TIMER_MS / 1000} seconds (about 24 days), the longest a timer can wait` };
  return { ms };
}
