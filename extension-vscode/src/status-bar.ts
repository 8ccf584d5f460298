// The active key's name and environment, and a warning when its last test failed; a click switches keys.
import * as vscode from 'vscode';
import { COMMANDS } from './contributes.js';
import { VERDICT_LABELS } from '@signus/shared';
import { environmentLabel, spokenMask } from './keys/model.js';
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

  /** What its tooltip and a screen reader say, for tests. */
  accessibleTexts(): string[] {
    return [String(this.item.tooltip), this.item.accessibilityInformation?.label ?? ''];
  }

  private update(): void {
    const active = this.store.active();
    if (this.store.list().length === 0) {
      this.item.hide();
      return;
    }
    // A key whose last test failed is what a program run now would use: say so where it is always seen.
    const failed =
      active?.lastTest && active.lastTest.verdict !== 'valid' && active.lastTest.verdict !== 'cancelled'
        ? VERDICT_LABELS[active.lastTest.verdict]
        : undefined;
    this.item.text = active
      ? `${failed ? '$(warning)' : '$(key)'} ${active.name} (${environmentLabel(active.baseUrl)})${failed ? `: ${failed}` : ''}`
      : '$(key) Signus: no active key';
    const tooltip = active
      ? failed
        ? `Signus: the active key "${active.name}" (${spokenMask(active.maskedSecret)}) failed its last test: ${failed}${active.lastTest?.status ? ` (${active.lastTest.status})` : ''}. Test it again from the key list, or click to switch keys.`
        : `Signus: "${active.name}" is the active key (${spokenMask(active.maskedSecret)}). Click to switch.`
      : 'Signus: choose the active API key.';
    // Read instead of the text, whose icon has no name: what the key is, and what a click does.
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: tooltip };
    this.item.backgroundColor = failed ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
