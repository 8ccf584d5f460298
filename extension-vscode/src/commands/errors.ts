import * as vscode from 'vscode';
import type { CommandId } from '../contributes.js';
import type { Log } from '../log.js';

/** Bad input or a refused action, with a message meant for the user. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

type Handler = (...args: unknown[]) => Promise<unknown>;

/**
 * Registers a command. Called from the UI (no arguments), a problem is shown as an error message;
 * called with arguments (from code or a test), it is thrown back to the caller with the same message.
 */
export function registerCommand(id: CommandId, log: Log, handler: Handler): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`${id} failed`, error);
      const programmatic = args.length > 0 && args[0] !== undefined && !isTreeItem(args[0]) && !isSelectionArg(args[0]);
      if (programmatic) throw error instanceof UserError ? error : new UserError(message);
      void vscode.window.showErrorMessage(`Signus: ${message}`);
      return undefined;
    }
  });
}

/** `{ selected: true }`: a keybinding on the key list (F2, Delete), acting on the selected row; a person, not code. */
export function isSelectionArg(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { selected?: unknown }).selected === true;
}

function isTreeItem(value: unknown): boolean {
  return value instanceof vscode.TreeItem;
}

/** `executeCommand` for this extension's own commands: the id is checked at compile time. */
export function runCommand<T = unknown>(id: CommandId, ...args: unknown[]): Thenable<T> {
  return vscode.commands.executeCommand<T>(id, ...args);
}
