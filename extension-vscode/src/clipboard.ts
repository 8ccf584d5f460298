// A key copied on request leaves the clipboard again: clipboard managers, screen sharing and a stray paste into a
// chat are how copied keys leak. Only what we put there is cleared: if the user copied something else since, the
// clipboard is theirs.
import * as vscode from 'vscode';
import { setting } from './config.js';
import type { Log } from './log.js';

let pending: { text: string; timer: NodeJS.Timeout } | undefined;
let log: Log | undefined;

/**
 * Writes a secret-bearing text to the clipboard and schedules its removal. Returns the sentence to add to the
 * confirmation message ("" when clearing is off).
 */
export async function copySecretText(text: string): Promise<string> {
  await vscode.env.clipboard.writeText(text);
  if (pending) clearTimeout(pending.timer);
  pending = undefined;
  const seconds = setting('clipboard.clearAfterSeconds');
  if (!(seconds > 0)) return '';
  const timer = setTimeout(() => void clearIfOurs(text, seconds), seconds * 1000);
  pending = { text, timer };
  return ` The clipboard is cleared in ${seconds} s.`;
}

async function clearIfOurs(text: string, seconds: number): Promise<void> {
  pending = undefined;
  if ((await vscode.env.clipboard.readText()) !== text) return;
  await vscode.env.clipboard.writeText('');
  log?.info(`Cleared the clipboard: it still held the key copied ${seconds} s ago.`);
}

/** Starts the guard (it logs what it clears). On deactivation a pending clear happens at once. */
export function clipboardGuard(logTo: Log): vscode.Disposable {
  log = logTo;
  return { dispose };
}

function dispose(): void {
  const left = pending;
  if (!left) return;
  clearTimeout(left.timer);
  pending = undefined;
  void Promise.resolve(vscode.env.clipboard.readText()).then((now) =>
    now === left.text ? vscode.env.clipboard.writeText('') : undefined,
  );
}
