/**
 * `pnpm emulator`: starts the local Signus emulator and prints how to use it.
 * `--json` prints one line of JSON (url, accountId, apiKey, …) for scripts and tests to read.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.SIGNUS_EMULATOR_PORT ?? '0' },
    host: { type: 'string', default: '127.0.0.1' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(`Usage: pnpm emulator [--port N] [--host ADDR] [--json]

A local Signus API for tests, demos and offline work. Binds 127.0.0.1 on a free port unless told.
Environment: SIGNUS_EMULATOR_DEMO_KEY fixes the demo key, SIGNUS_EMULATOR_ACCOUNT_ID the demo account.
Control interface (JSON over HTTP, same port; only for requests addressed to 127.0.0.1, localhost or [::1],
with bodies sent as Content-Type: application/json, so that a web page cannot drive it):
  GET    /_emulator/state             accounts, keys (last 4 characters only) and active faults
  POST   /_emulator/keys              {"accountId"?, "name"?} → {"id", "secret", ...}
  DELETE /_emulator/keys/{id}         delete a key: its next call gets 401
  POST   /_emulator/keys/delete       {"secret"} delete by secret
  POST   /_emulator/accounts          {"apiAccess"?: false} → a new account
  POST   /_emulator/faults            {"kind", "times"?, ...}: latency {ms}, status {status, body?},
                                      rate_limit {retryAfter}, non_json, empty, huge {bytes}, drop,
                                      truncate, redirect {location}
  DELETE /_emulator/faults            clear all faults
`);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a port number from 0 to 65535, not "${values.port}".\n`);
  process.exit(2);
}

const emulator = await startEmulator({
  port,
  host: values.host,
  ...(process.env.SIGNUS_EMULATOR_DEMO_KEY && { demoKey: process.env.SIGNUS_EMULATOR_DEMO_KEY }),
  ...(process.env.SIGNUS_EMULATOR_ACCOUNT_ID && { demoAccountId: process.env.SIGNUS_EMULATOR_ACCOUNT_ID }),
}).catch((error: NodeJS.ErrnoException) => {
  process.stderr.write(
    `The emulator could not start: ${error.code === 'EADDRINUSE' ? `port ${port} is in use` : error.message}\n`,
  );
  process.exit(2);
});

const info = {
  url: emulator.url,
  accountId: emulator.accountId,
  apiKey: emulator.apiKey,
  otherAccountId: emulator.otherAccountId,
  otherApiKey: emulator.otherApiKey,
  noAccessAccountId: emulator.noAccessAccountId,
  noAccessApiKey: emulator.noAccessApiKey,
};
if (values.json) {
  process.stdout.write(`${JSON.stringify(info)}\n`);
} else {
  // The emulator's own keys are throwaway and printed on purpose: this is where a user gets one.
  process.stdout.write(`Signus emulator listening on ${emulator.url}

  Base URL     ${emulator.url}
  Account ID   ${emulator.accountId}
  API key      ${emulator.apiKey}

Try it:
  export SIGNUS_BASE_URL=${emulator.url} SIGNUS_ACCOUNT_ID=${emulator.accountId}
  printf '%s' '${emulator.apiKey}' | pnpm exec signus test --key-stdin

Control interface: ${emulator.url}/_emulator/state (pnpm emulator --help). Ctrl+C stops it.
`);
}

const stop = (): void => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
