import { parseArgs } from 'node:util';
import {
  exactCurl,
  parseAccountId,
  presentKeyTest,
  parseBaseUrl,
  parseTimeoutSeconds,
  quoteText,
  SHELLS,
  testApiKey,
  type KeyTestResult,
  type Shell,
} from '../../index.js';
import { EXIT, UsageError, type Io } from '../io.js';
import { renderKeyTest } from '../render-key-test.js';
import { readSecret } from '../secret-input.js';

export const TEST_HELP = `Usage: signus test [options]

Runs the Signus app's "Test API key" request,
  GET {base}/v1/accounts/{ACCOUNT_ID}/templates?pageIndex=0&pageSize=5
and prints the HTTP status, the response time, a verdict with what to do, the first 800
characters of the body, and the cURL command that reproduces it (secret masked).

The key is read from SIGNUS_API_KEY, or from standard input with --key-stdin (a hidden prompt
in a terminal). It is never taken from the command line, where it would reach shell history.

Options:
  --account-id ID     Account ID (a UUID). Default: SIGNUS_ACCOUNT_ID, then ACCOUNT_ID.
  --base-url URL      API base URL. Default: SIGNUS_BASE_URL, then BASE_URL, then https://api.signus.ai.
  --key-stdin         Read the key from standard input.
  --timeout SECONDS   Give up after this long (default 15).
  --json              Print one JSON object and nothing else on stdout (secret masked).
  --show-secret       Print the exact cURL command, with the full key (for copying).
  --shell KIND        cURL quoting: posix (default), powershell or cmd.
  -h, --help          Show this help.

Exit codes: 0 the key was accepted; 1 the API answered with an error status; 2 bad usage or
input; 3 no usable answer (network error, timeout, not an API response).
`;

export async function runTest(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'account-id': { type: 'string' },
      'base-url': { type: 'string' },
      'key-stdin': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
      'show-secret': { type: 'boolean', default: false },
      shell: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(TEST_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0)
    throw new UsageError(`signus test takes no arguments (got ${quoteText(positionals[0]!)}). See signus test --help.`);

  const rawAccount = values['account-id'] ?? io.env.SIGNUS_ACCOUNT_ID ?? io.env.ACCOUNT_ID;
  if (rawAccount === undefined) {
    throw new UsageError('No Account ID: pass --account-id or set SIGNUS_ACCOUNT_ID (Signus → Settings → Account).');
  }
  const account = parseAccountId(rawAccount);
  if (!account.accountId) throw new UsageError(`Bad Account ID: ${account.problem?.message}`);

  const base = parseBaseUrl(values['base-url'] ?? io.env.SIGNUS_BASE_URL ?? io.env.BASE_URL);
  if (!base.baseUrl) throw new UsageError(`Bad base URL: ${base.problem?.message}`);
  if (base.warning) io.err(`warning: ${base.warning}\n`);

  const shell = (values.shell ?? 'posix') as Shell;
  if (!SHELLS.includes(shell))
    throw new UsageError(`--shell must be one of ${SHELLS.join(', ')}, not ${quoteText(values.shell ?? '')}.`);

  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const parsed = parseTimeoutSeconds(values.timeout);
    if (parsed.problem !== undefined)
      throw new UsageError(`--timeout ${parsed.problem}, not ${quoteText(values.timeout)}.`);
    timeoutMs = parsed.ms;
  }

  const secret = await readSecret(io, values['key-stdin']);
  const result = await testApiKey({
    secret,
    accountId: account.accountId,
    baseUrl: base.baseUrl,
    ...(timeoutMs !== undefined && { timeoutMs }),
  });
  const view = presentKeyTest(result);
  const curl = values['show-secret'] ? exactCurl(result.request, secret, shell) : view.curl[shell];

  if (values.json) io.out(`${JSON.stringify(toJson(result, curl), null, 2)}\n`);
  else io.out(renderKeyTest(view, { curl, revealed: values['show-secret'], color: io.color }));
  return view.exitCode;
}

function toJson(result: KeyTestResult, curl: string): Record<string, unknown> {
  return {
    status: result.status ?? null,
    statusText: result.statusText,
    verdict: result.verdict,
    hint: result.hint,
    durationMs: result.durationMs,
    preview: result.preview,
    truncated: result.truncated,
    body: result.body,
    bodyOverCap: result.bodyOverCap,
    ...(result.retryAfterSeconds !== undefined && { retryAfterSeconds: result.retryAfterSeconds }),
    ...(result.cause !== undefined && { cause: result.cause }),
    ...(result.templateCount !== undefined && { templateCount: result.templateCount }),
    responseHeaders: Object.fromEntries(result.responseHeaders),
    curl,
    request: result.request,
    testedAt: result.testedAt,
  };
}
