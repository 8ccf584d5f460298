import type * as vscode from 'vscode';
import type { KeyStore } from './keys/store.js';
import type { Log } from './log.js';

/** What commands share. Built once, on activation. */
export interface Services {
  context: vscode.ExtensionContext;
  store: KeyStore;
  log: Log;
}
