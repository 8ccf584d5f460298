// Runs the core's key test with a progress notification; a timeout or network failure is a result.
import * as vscode from 'vscode';
import { presentKeyTest, testApiKey, type KeyTestResult } from '@signus/shared';
import type { Log } from './log.js';
import { setting } from './config.js';

export interface KeyTestTarget {
  secret: string;
  accountId: string;
  baseUrl: string;
}

export async function runKeyTest(target: KeyTestTarget, label: string, log: Log): Promise<KeyTestResult> {
  const timeoutMs = setting('requestTimeoutMs');
  log.rememberSecret(target.secret);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Signus: testing ${label}…`, cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return testApiKey({
        secret: target.secret,
        accountId: target.accountId,
        baseUrl: target.baseUrl,
        timeoutMs,
        signal: controller.signal,
      });
    },
  );
  const view = presentKeyTest(result);
  log.info(`Key test of ${label}: ${view.summary} in ${view.timing}, ${result.request.url}`);
  return result;
}
