// The names of the verdicts, apart from how they are decided (verdict.ts): a list of past tests needs
// these few lines, not the assessment, and a browser popup loads them before its first paint.

export type Verdict =
  | 'valid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'server_error'
  | 'client_error'
  | 'redirect'
  | 'bad_response'
  | 'unexpected_response'
  | 'network_error'
  | 'timeout'
  | 'cancelled';

export const VERDICT_LABELS: Record<Verdict, string> = {
  valid: 'Valid',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  rate_limited: 'Rate limited',
  server_error: 'Server error',
  client_error: 'Request rejected',
  redirect: 'Redirected',
  bad_response: 'Bad response',
  unexpected_response: 'Unexpected response',
  network_error: 'Network error',
  timeout: 'Timed out',
  cancelled: 'Cancelled',
};

/** How a verdict should look and which exit code it earns: the key works, the API said no, or no usable answer. */
export type VerdictClass = 'ok' | 'rejected' | 'no_answer';

export function verdictClass(verdict: Verdict): VerdictClass {
  switch (verdict) {
    case 'valid':
      return 'ok';
    case 'bad_response':
    case 'unexpected_response':
    case 'network_error':
    case 'timeout':
    case 'cancelled':
      return 'no_answer';
    default:
      return 'rejected';
  }
}
