import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startEmulator, type RunningEmulator } from '@signus/test/emulator';
import { addKey, api, clearKeys, run, waitFor, workspaceRoot } from './helpers.js';

/**
 * The key reaches a real Node debug session (js-debug) and a task through their environment. The program
 * reports whether the variables are set and the key's fingerprint, never the key itself.
 */
describe('keys in debug sessions and tasks, never in launch.json', () => {
  let emulator: RunningEmulator;
  let folder: vscode.WorkspaceFolder;
  let dir: string;
  let program: string;
  let report: string;

  before(async () => {
    emulator = await startEmulator();
    await clearKeys();
    folder = vscode.workspace.workspaceFolders![0]!;
    dir = join(workspaceRoot(), 'launch-test');
    report = join(dir, 'report.json');
    program = join(dir, 'report-env.cjs');
    assert.ok(existsSync(program), 'the test workspace holds the reporting program (.vscode-test.mjs)');
    await addKey({
      name: 'Staging',
      secret: emulator.apiKey,
      accountId: emulator.accountId,
      environment: emulator.url,
      test: true,
    });
    const revoked = emulator.createKey({ accountId: emulator.accountId, name: 'revoked' });
    emulator.deleteKey(revoked.id);
    await addKey({
      name: 'Revoked',
      secret: revoked.secret,
      accountId: emulator.accountId,
      environment: emulator.url,
      test: true,
      saveIfRejected: true,
    });
    const { store } = await api();
    await store.setActive(store.findByName('Staging')!.id);
  });
  after(async () => {
    await clearKeys();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => rmSync(report, { force: true }));

  async function debug(
    extra: Record<string, unknown>,
  ): Promise<{ started: boolean; report?: Record<string, unknown> }> {
    const said: string[] = [];
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (m: { type?: string; event?: string; body?: { output?: string } }) => {
          if (m.type === 'event' && m.event === 'output') said.push(`${session.type}: ${m.body?.output ?? ''}`);
        },
        onError: (e) => said.push(`${session.type} error: ${e.message}`),
        onExit: (code) => said.push(`${session.type} exit ${String(code)}`),
      }),
    });
    const ended = new Promise<void>((resolve) => {
      const listener = vscode.debug.onDidTerminateDebugSession(() => {
        listener.dispose();
        resolve();
      });
    });
    const started = await vscode.debug.startDebugging(folder, {
      type: 'node',
      request: 'launch',
      name: 'Signus launch test',
      program,
      runtimeExecutable: process.execPath,
      console: 'internalConsole',
      ...extra,
    });
    if (!started) {
      tracker.dispose();
      return { started };
    }
    await ended;
    try {
      await waitFor('the program to report', () => (existsSync(report) ? true : undefined));
    } catch (error) {
      throw new Error(`${(error as Error).message}; the debug session said: ${said.join(' | ')}`, { cause: error });
    } finally {
      tracker.dispose();
    }
    return { started, report: JSON.parse(readFileSync(report, 'utf8')) as Record<string, unknown> };
  }

  it('gives a Node debug session the named key, its Account ID and base URL', async () => {
    const { started, report: seen } = await debug({ signus: { key: 'staging' } });
    assert.equal(started, true);
    assert.deepEqual(seen, {
      set: true,
      fingerprint: fingerprintHex(emulator.apiKey),
      account: emulator.accountId,
      base: emulator.url,
      args: [],
    });
  });

  it('gives the active key with "signus": true, and substitutes the Account ID command variable', async () => {
    const { report: seen } = await debug({ signus: true, args: ['${command:signus.launchAccountId}'] });
    assert.equal(seen?.set, true);
    assert.deepEqual(seen?.args, [emulator.accountId]);
  });

  it('leaves a launch without "signus" alone while the setting is off', async () => {
    const { started, report: seen } = await debug({});
    assert.equal(started, true);
    assert.equal(seen?.set, false);
  });

  it('stops the launch for a missing key name and for a key the API refused', async () => {
    for (const signus of [{ key: 'No Such Key' }, { key: 'Revoked' }, { key: 42 }]) {
      const { started } = await debug({ signus });
      assert.equal(started, false, `launch with ${JSON.stringify(signus)} stopped`);
      assert.equal(existsSync(report), false, 'the program did not run');
    }
    const { launch } = await api();
    await assert.rejects(launch.environment({ kind: 'named', name: 'Revoked' }), /401 Unauthorized/);
    await assert.rejects(
      launch.environment({ kind: 'named', name: 'Nope' }),
      /No stored key is named "Nope" \(stored: /,
    );
  });

  it('runs a "signus" task with the key in its environment', async () => {
    const exit = await runTask('Signus env task');
    assert.equal(exit, 0);
    const seen = JSON.parse(readFileSync(report, 'utf8')) as Record<string, unknown>;
    assert.equal(seen.set, true);
    assert.equal(seen.fingerprint, fingerprintHex(emulator.apiKey));
    assert.deepEqual(seen.args, ['from-task']);
  });

  it('fails a "signus" task that names a key that is not stored, and says why', async () => {
    assert.equal(await runTask('Signus missing-key task'), 1);
    assert.equal(existsSync(report), false);
  });

  it('wrote no key into launch.json, tasks.json or the workspace', async () => {
    for (const file of ['launch.json', 'tasks.json']) {
      const path = join(workspaceRoot(), '.vscode', file);
      if (existsSync(path)) assert.ok(!readFileSync(path, 'utf8').includes(emulator.apiKey), `${file} holds no key`);
    }
    assert.equal(await run('signus.launchBaseUrl'), emulator.url);
  });
});

/** What the program computes: plain SHA-256 of the key, so the report can name the key without holding it. */
function fingerprintHex(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Runs a task from tasks.json as the user would: VS Code asks our provider to resolve it. */
async function runTask(name: string): Promise<number | undefined> {
  const task = await waitFor(`the task "${name}"`, async () =>
    (await vscode.tasks.fetchTasks({ type: 'signus' })).find((t) => t.name === name),
  );
  const done = new Promise<number | undefined>((resolve) => {
    const listener = vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution.task.name !== name) return;
      listener.dispose();
      resolve(e.exitCode);
    });
  });
  await vscode.tasks.executeTask(task);
  return await Promise.race([done, new Promise<undefined>((r) => setTimeout(() => r(undefined), 20_000))]);
}
