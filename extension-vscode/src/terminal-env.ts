// Optionally gives new terminals the active key. The collection is not persisted, so the secret never
// lands in VS Code's workspace storage on disk; it lives in memory while the window is open.
import * as vscode from 'vscode';
import { spokenMask } from './keys/model.js';
import type { KeyStore } from './keys/store.js';
import type { Log } from './log.js';
import { affects, setting } from './config.js';

export class TerminalEnvironment implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly store: KeyStore,
    private readonly log: Log,
  ) {
    collection.persistent = false;
    collection.description = 'Signus: the active API key, Account ID and base URL';
    this.subscriptions.push(
      store.onDidChange(() => void this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'terminal.injectEnvironment')) void this.update();
      }),
    );
  }

  async update(): Promise<void> {
    const enabled = setting('terminal.injectEnvironment');
    const active = this.store.active();
    const secret = enabled && active ? await this.store.secret(active.id) : undefined;
    if (!enabled || !active || !secret) {
      this.collection.clear();
      return;
    }
    this.collection.replace('SIGNUS_API_KEY', secret);
    this.collection.replace('SIGNUS_ACCOUNT_ID', active.accountId);
    this.collection.replace('SIGNUS_BASE_URL', active.baseUrl);
    this.log.info(`New terminals get the active key "${active.name}" (${spokenMask(active.maskedSecret)}).`);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
