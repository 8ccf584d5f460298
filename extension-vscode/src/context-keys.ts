// Context keys that say what is done, for the walkthrough's `onContext` steps and `when` clauses: a step
// ticks when the thing is true (a key stored, a key tested valid, the hook installed), not when a command starts.
import * as vscode from 'vscode';
import type { KeyStore } from './keys/store.js';

export const CONTEXT = {
  hasKey: 'signus.hasKey',
  keyTested: 'signus.keyTested',
  hookInstalled: 'signus.hookInstalled',
  /** The key list shows environment groups: its title bar offers the flat list, else grouping. */
  keysGrouped: 'signus.keysGrouped',
} as const;

/** The values set in this window, for tests (VS Code has no API that reads a context key back). */
export const contextValues = new Map<string, unknown>();

export function setContext(key: (typeof CONTEXT)[keyof typeof CONTEXT], value: boolean): void {
  if (contextValues.get(key) === value) return;
  contextValues.set(key, value);
  void vscode.commands.executeCommand('setContext', key, value);
}

/** Keeps the key-related context keys in step with the store. */
export function trackKeyContext(store: KeyStore): vscode.Disposable {
  const update = () => {
    const keys = store.list();
    setContext(CONTEXT.hasKey, keys.length > 0);
    setContext(
      CONTEXT.keyTested,
      keys.some((k) => k.lastTest?.verdict === 'valid'),
    );
  };
  update();
  return store.onDidChange(update);
}
