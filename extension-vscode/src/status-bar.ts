// The active key's name and environment; a click switches keys.
import * as vscode from 'vscode';
import { COMMANDS } from './contributes.js';
import { environmentLabel } from './keys/model.js';
import type { KeyStore } from './keys/store.js';

export class ActiveKeyStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('signus.activeKey', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: KeyStore) {
    this.item.name = 'Signus active API key';
    this.item.command = COMMANDS.switchActiveKey;
    this.subscription = store.onDidChange(() => this.update());
    this.update();
  }

  /** What the item shows now; also read by tests. */
  text(): string {
    return this.item.text;
  }

  private update(): void {
    const active = this.store.active();
    if (this.store.list().length === 0) {
      this.item.hide();
      return;
    }
    this.item.text = active
      ? `$(key) ${active.name} (${environmentLabel(active.baseUrl)})`
      : '$(key) Signus: no active key';
    this.item.tooltip = active
      ? `Signus: "${active.name}" is the active key (${active.maskedSecret}). Click to switch.`
      : 'Signus: choose the active API key.';
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
