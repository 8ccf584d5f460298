#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron launches (`useInstallation.fromPath`):
// it takes the same arguments, runs the tests in a real extension host (code-host.mjs) and exits
// with the test run's exit code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { startCodeHost } from './code-host.mjs';

/** Mocha's reporter prints with printf-style formats; the workbench's own messages do not. */
function isTestOutput(args) {
  return (
    typeof args[0] === 'string' &&
    /^%c (INFO|ERR|WARN)/.test(args[0]) &&
    typeof args[2] === 'string' &&
    /%[sdj]/.test(args[2])
  );
}

// A guard against a host that never answers, not a speed limit: each test has mocha's own timeout, and the
// whole suite (~2 min on a quiet machine) took over 5 min at load 12-17.
const TIMEOUT_MS = Number(process.env.SIGNUS_HOST_TIMEOUT_MS ?? 900_000);

function parse(argv) {
  const named = {};
  const positional = [];
  for (const arg of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (m) named[m[1]] = m[2] ?? true;
    else positional.push(arg);
  }
  return { named, positional };
}

const { named, positional } = parse(process.argv.slice(2));
const devPath = named.extensionDevelopmentPath;
const testsPath = named.extensionTestsPath;
if (typeof devPath !== 'string' || typeof testsPath !== 'string') {
  console.error('vscode-standin: --extensionDevelopmentPath and --extensionTestsPath are required');
  process.exit(2);
}
const scratch = mkdtempSync(join(tmpdir(), 'signus-vscode-'));
const userDataDir = typeof named['user-data-dir'] === 'string' ? named['user-data-dir'] : join(scratch, 'user-data');
const extensionsDir =
  typeof named['extensions-dir'] === 'string' ? named['extensions-dir'] : join(scratch, 'extensions');

let finish;
const exitCode = new Promise((r) => (finish = r));
const timer = setTimeout(() => {
  console.error(`vscode-standin: no result from the extension host within ${TIMEOUT_MS} ms`);
  finish(1);
}, TIMEOUT_MS);

let host;
try {
  host = await startCodeHost({
    extensionDevelopmentPath: resolve(devPath),
    extensionTestsPath: resolve(testsPath),
    ...(positional[0] && { folder: resolve(positional[0]) }),
    userDataDir,
    extensionsDir,
    // The untrusted-workspace suite needs VS Code's workspace trust on; every other run turns it off.
    trustWorkspace: process.env.SIGNUS_HOST_WORKSPACE_TRUST !== 'enabled',
    logFile: join(scratch, 'server.log'),
    onExit: (code) => finish(code),
    onConsole: (text, args) => {
      if (process.env.SIGNUS_HOST_VERBOSE) console.log(`[workbench] ${text}`);
      else if (isTestOutput(args)) console.log(format(...args.slice(2)));
    },
  });
} catch (error) {
  console.error(
    `vscode-standin: could not start the extension host: ${error instanceof Error ? error.message : error}`,
  );
  process.exit(1);
}
const code = await exitCode;
clearTimeout(timer);
await host.close();
if (code === 0) rmSync(scratch, { recursive: true, force: true });
else console.log(`vscode-standin: the VS Code server's log is in ${join(scratch, 'server.log')}`);
process.exit(code);
