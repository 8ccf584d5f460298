// The key list: one row per key, in its own activity-bar container.
import * as vscode from 'vscode';
import { VERDICT_LABELS } from '@signus/shared';
import { describeLastTest, environmentLabel, timeAgo, type KeyRecord } from './model.js';
import type { KeyStore } from './store.js';

export class KeyItem extends vscode.TreeItem {
  constructor(
    readonly record: KeyRecord,
    isActive: boolean,
  ) {
    super(record.name, vscode.TreeItemCollapsibleState.None);
    this.id = record.id;
    const env = environmentLabel(record.baseUrl);
    this.description = `${isActive ? '● ' : ''}${env} · created ${timeAgo(record.createdAt)} · ${record.maskedSecret} · ${shortLastTest(record)}`;
    this.contextValue = isActive ? 'signusKey.active' : 'signusKey';
    this.iconPath = new vscode.ThemeIcon(iconFor(record), colorFor(record));
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**${escape(record.name)}**${isActive ? ' (active)' : ''}\n\n`);
    tip.appendMarkdown(`- Environment: ${escape(env)} (\`${escape(record.baseUrl)}\`)\n`);
    tip.appendMarkdown(`- Account ID: \`${record.accountId}\`\n`);
    tip.appendMarkdown(`- Secret: \`${record.maskedSecret}\` (kept in VS Code's secret storage)\n`);
    tip.appendMarkdown(`- Created: ${new Date(record.createdAt).toLocaleString()}\n`);
    tip.appendMarkdown(`- Last test: ${describeLastTest(record.lastTest)}\n`);
    this.tooltip = tip;
    // No command: a click or Enter selects the row. A key test sends the key over the network, so it is an
    // explicit action (the beaker, the context menu, or "Test API Key").
  }
}

function shortLastTest(record: KeyRecord): string {
  const last = record.lastTest;
  if (!last) return 'not tested';
  return `${VERDICT_LABELS[last.verdict]}${last.status !== undefined ? ` (${last.status})` : ''}`;
}

function iconFor(record: KeyRecord): string {
  switch (record.lastTest?.verdictClass) {
    case 'ok':
      return 'pass';
    case 'rejected':
      return 'error';
    case 'no_answer':
      return 'warning';
    default:
      return 'key';
  }
}

function colorFor(record: KeyRecord): vscode.ThemeColor | undefined {
  switch (record.lastTest?.verdictClass) {
    case 'ok':
      return new vscode.ThemeColor('testing.iconPassed');
    case 'rejected':
      return new vscode.ThemeColor('testing.iconFailed');
    case 'no_answer':
      return new vscode.ThemeColor('problemsWarningIcon.foreground');
    default:
      return undefined;
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export class KeyTreeProvider implements vscode.TreeDataProvider<KeyItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: KeyStore) {
    this.subscription = store.onDidChange(() => this.changed.fire());
  }

  getTreeItem(item: KeyItem): vscode.TreeItem {
    return item;
  }

  getChildren(item?: KeyItem): KeyItem[] {
    if (item) return [];
    const active = this.store.activeId();
    return this.store.list().map((r) => new KeyItem(r, r.id === active));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
