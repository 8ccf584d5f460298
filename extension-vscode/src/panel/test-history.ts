// Earlier tests of each stored key, for the key-test panel. In globalState, per machine (not synced): only
// what the panel shows, which holds no key — the summary, the timing, the server and when.
import type * as vscode from 'vscode';
import { presentKeyTest, type KeyTestResult } from '@signus/shared';

export interface TestHistoryEntry {
  testedAt: string;
  /** "Valid (HTTP 200)", "Unauthorized (HTTP 401)", "Host not found". */
  summary: string;
  timing: string;
  tone: 'ok' | 'rejected' | 'no_answer';
  baseUrl: string;
}

/** Enough to see a pattern (a key that started failing), small enough to read at a glance. */
export const HISTORY_LIMIT = 10;
const STATE_KEY = 'signus.testHistory';

type AllHistory = Record<string, TestHistoryEntry[]>;

export interface KeyTestHistory {
  /** Newest first. */
  list(): TestHistoryEntry[];
  record(result: KeyTestResult): Promise<void>;
}

export function testHistoryOf(state: vscode.Memento, keyId: string): KeyTestHistory {
  const all = () => state.get<AllHistory>(STATE_KEY, {});
  return {
    list: () => all()[keyId] ?? [],
    async record(result) {
      // A test the user cancelled says nothing about the key.
      if (result.verdict === 'cancelled') return;
      const view = presentKeyTest(result);
      const entry: TestHistoryEntry = {
        testedAt: view.testedAt,
        summary: view.summary,
        timing: view.timing,
        tone: view.tone,
        baseUrl: view.request.baseUrl,
      };
      const current = all();
      await state.update(STATE_KEY, {
        ...current,
        [keyId]: [entry, ...(current[keyId] ?? [])].slice(0, HISTORY_LIMIT),
      });
    },
  };
}

/** A deleted key's history goes with it. */
export async function forgetTestHistory(state: vscode.Memento, keyId: string): Promise<void> {
  const current = state.get<AllHistory>(STATE_KEY, {});
  if (!(keyId in current)) return;
  const { [keyId]: _gone, ...rest } = current;
  await state.update(STATE_KEY, rest);
}
