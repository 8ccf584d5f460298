// "Test All Keys": every stored key, one after the other, under one cancellable progress notification. Each row
// shows its result, one message sums them up; neither holds a secret.
import * as vscode from 'vscode';
import { presentKeyTest, testApiKey } from '@signus/shared';
import { setting } from '../config.js';
import { isProduction, summarizeTestAll, type TestAllResult } from '../keys/model.js';
import { testHistoryOf } from '../panel/test-history.js';
import type { Services } from '../services.js';
import { askModal } from './modal.js';

export interface TestAllOutcome {
  results: TestAllResult[];
  /** Production keys left out (the user chose to), and keys not reached before Cancel. */
  skipped: string[];
  cancelled: boolean;
  summary: string;
}

export async function testAllKeys(services: Services, arg?: unknown): Promise<TestAllOutcome | undefined> {
  const { store, log, context } = services;
  const given = (typeof arg === 'object' && arg !== null ? arg : {}) as { includeProduction?: unknown };
  let keys = store.list();
  if (keys.length === 0) {
    void vscode.window.showInformationMessage('Signus: no API keys are stored yet.');
    return undefined;
  }
  const skipped: string[] = [];
  const production = keys.filter(isProduction);
  if (production.length > 0) {
    let include = typeof given.includeProduction === 'boolean' ? given.includeProduction : undefined;
    if (include === undefined) {
      const names = production.map((k) => `"${k.name}"`).join(', ');
      const answer = await askModal(
        `${production.length === 1 ? 'One key is a production key' : `${production.length} keys are production keys`}: ${names}. Test ${production.length === 1 ? 'it' : 'them'} too?`,
        'Each test sends one request to the live Signus API that lists templates; nothing in the account changes.',
        'Test All',
        'Skip Production Keys',
      );
      if (answer === undefined) return undefined;
      include = answer === 'Test All';
    }
    if (!include) {
      skipped.push(...production.map((k) => k.name));
      keys = keys.filter((k) => !isProduction(k));
    }
  }

  const results: TestAllOutcome['results'] = [];
  const timeoutMs = setting('requestTimeoutMs');
  const cancelled = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Signus: testing all keys', cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      for (const [i, key] of keys.entries()) {
        if (token.isCancellationRequested) {
          skipped.push(...keys.slice(i).map((k) => k.name));
          return true;
        }
        progress.report({ message: `"${key.name}" (${i + 1} of ${keys.length})`, increment: 100 / keys.length });
        const secret = await store.secret(key.id);
        if (!secret) {
          skipped.push(key.name);
          continue;
        }
        const result = await testApiKey({
          secret,
          accountId: key.accountId,
          baseUrl: key.baseUrl,
          timeoutMs,
          signal: controller.signal,
        });
        // A cancelled test says nothing about the key: the row keeps its earlier result (keptLastTest).
        await store.recordTest(key.id, result);
        if (result.verdict === 'cancelled') {
          skipped.push(...keys.slice(i).map((k) => k.name));
          return true;
        }
        await testHistoryOf(context.globalState, key.id).record(result);
        log.info(`Test All Keys: "${key.name}": ${presentKeyTest(result).summary}.`);
        results.push({
          name: key.name,
          verdict: result.verdict,
          ...(result.status !== undefined && { status: result.status }),
        });
      }
      return false;
    },
  );

  const summary = summarizeTestAll(results, skipped, cancelled);
  const failed = results.some((r) => r.verdict !== 'valid');
  if (failed || cancelled) void vscode.window.showWarningMessage(`Signus: ${summary}`);
  else void vscode.window.showInformationMessage(`Signus: ${summary}`);
  return { results, skipped, cancelled, summary };
}
