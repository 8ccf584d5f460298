// The key list: one row per key in its own activity-bar container, grouped by environment when keys use more
// than one; production keys marked by icon and words, not colour alone; a rotated key's old key under it.
import * as vscode from 'vscode';
import { VERDICT_LABELS } from '@signus/shared';
import { setting, settingId } from '../config.js';
import { CONTEXT, setContext } from '../context-keys.js';
import {
  describeLastTest,
  describeRetired,
  environmentLabel,
  groupByEnvironment,
  isProduction,
  pendingOldKeys,
  spokenMask,
  timeAgo,
  type KeyRecord,
  type RetiredKey,
} from './model.js';
import type { KeyStore } from './store.js';

export class KeyItem extends vscode.TreeItem {
  constructor(
    readonly record: KeyRecord,
    isActive: boolean,
  ) {
    super(
      record.name,
      record.oldKeys ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    // A new id after each rotation: the workbench remembers a row's collapsed state by id, and the old keys under
    // it must show.
    const newest = record.oldKeys?.at(-1);
    this.id = newest ? `${record.id}/${newest.rotatedAt}` : record.id;
    const pending = pendingOldKeys(record).length;
    const env = environmentLabel(record.baseUrl);
    const production = isProduction(record);
    const created = `created ${timeAgo(record.createdAt)}`;
    const envText = production ? 'production (live)' : env;
    this.description = `${isActive ? 'active · ' : ''}${envText} · ${created} · ${record.maskedSecret} · ${shortLastTest(record)}`;
    this.contextValue = `signusKey${isActive ? '.active' : ''}${production ? '.production' : ''}`;
    // Production keys carry their own icon; the words "production (live)" say it too, for those who cannot tell
    // icons or colours apart. The colour still follows the last test.
    this.iconPath = new vscode.ThemeIcon(production ? 'flame' : iconFor(record), colorFor(record));
    // Screen readers get words, not "bullet bullet bullet" for the masked key nor a dot for "active".
    this.accessibilityInformation = {
      label: [
        record.name,
        production ? 'production key' : `${env} environment`,
        ...(isActive ? ['active'] : []),
        created,
        spokenMask(record.maskedSecret),
        `last test: ${shortLastTest(record)}`,
        ...(pending === 1 ? ['old key pending revocation'] : []),
        ...(pending > 1 ? [`${pending} old keys pending revocation`] : []),
      ].join(', '),
    };
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**${escape(record.name)}**${isActive ? ' (active)' : ''}\n\n`);
    if (production)
      tip.appendMarkdown('$(flame) **Production key.** Copy Secret, Copy cURL and Test ask before they go ahead.\n\n');
    // Inside a code span Markdown escapes show as backslashes: only a backtick needs taking out there.
    tip.appendMarkdown(`- Environment: ${escape(env)} (\`${record.baseUrl.replace(/`/g, '')}\`)\n`);
    tip.appendMarkdown(`- Account ID: \`${record.accountId}\`\n`);
    tip.appendMarkdown(`- Secret: ${spokenMask(record.maskedSecret)} (kept in VS Code's secret storage)\n`);
    tip.appendMarkdown(`- Created: ${new Date(record.createdAt).toLocaleString()}\n`);
    tip.appendMarkdown(`- Last test: ${describeLastTest(record.lastTest)}\n\n`);
    tip.appendMarkdown('Test with the beaker. Right-click for more; F2 renames, Delete removes it from VS Code.');
    this.tooltip = tip;
    // No command: a click or Enter selects the row. A key test sends the key over the network, so it is an
    // explicit action (the beaker, the context menu, or "Test API Key").
  }
}

/** An old key of a rotation, under its key, until a check proved it revoked (and after, saying so). */
export class RetiredItem extends vscode.TreeItem {
  constructor(
    readonly record: KeyRecord,
    readonly retired: RetiredKey,
  ) {
    const { label, description } = describeRetired(retired);
    super(label, vscode.TreeItemCollapsibleState.None);
    this.id = `${record.id}/retired/${retired.fingerprint}`;
    this.description = description;
    const revoked = retired.revokedAt !== undefined;
    this.contextValue = revoked ? 'signusRetired.revoked' : 'signusRetired.pending';
    this.iconPath = new vscode.ThemeIcon(
      revoked ? 'circle-slash' : 'watch',
      revoked ? undefined : new vscode.ThemeColor('problemsWarningIcon.foreground'),
    );
    this.accessibilityInformation = {
      label: `Old key of ${record.name}, ${spokenMask(retired.maskedSecret)}, ${description.replace(/ · /g, ', ')}`,
    };
    this.tooltip = revoked
      ? `A check got 401 for this old key: it is dead. Its secret was removed from VS Code's secret storage, and its fingerprint added to the revoked-keys file, so later scans and the commit hook call a copy "revoked key".`
      : `The key this rotation replaced; VS Code keeps it until it is proven dead. Delete it in Signus → Settings → Developer, then Verify Revoked: only a 401 proves it no longer works.`;
  }
}

/** One environment's keys, when the keys use more than one. */
export class EnvironmentItem extends vscode.TreeItem {
  constructor(
    readonly baseUrl: string,
    readonly keys: readonly KeyRecord[],
  ) {
    const production = isProduction({ baseUrl });
    super(production ? 'Production' : environmentLabel(baseUrl), vscode.TreeItemCollapsibleState.Expanded);
    this.id = `env:${baseUrl}`;
    const count = `${keys.length} ${keys.length === 1 ? 'key' : 'keys'}`;
    this.description = production ? `live · ${count}` : count;
    this.contextValue = 'signusEnvironment';
    this.iconPath = new vscode.ThemeIcon(production ? 'flame' : 'server-environment');
    this.tooltip = production
      ? `${baseUrl}: live data. Copy Secret, Copy cURL and Test ask before they go ahead.`
      : baseUrl;
    this.accessibilityInformation = {
      label: `${production ? 'Production' : environmentLabel(baseUrl)} environment, ${count}`,
    };
  }
}

export type KeyTreeNode = KeyItem | RetiredItem | EnvironmentItem;

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

export class KeyTreeProvider implements vscode.TreeDataProvider<KeyTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly store: KeyStore) {
    // The title bar's grouping toggle follows the list's shape even while the view is hidden (and not reading it).
    const update = () => {
      setContext(CONTEXT.keysGrouped, this.groups() !== undefined);
      this.changed.fire();
    };
    setContext(CONTEXT.keysGrouped, this.groups() !== undefined);
    this.subscriptions = [
      store.onDidChange(update),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(settingId('keys.groupByEnvironment'))) update();
      }),
    ];
  }

  private groups() {
    return groupByEnvironment(this.store.list(), setting('keys.groupByEnvironment'));
  }

  getTreeItem(item: KeyTreeNode): vscode.TreeItem {
    return item;
  }

  getChildren(item?: KeyTreeNode): KeyTreeNode[] {
    const active = this.store.activeId();
    const rows = (records: readonly KeyRecord[]) => records.map((r) => new KeyItem(r, r.id === active));
    if (item instanceof EnvironmentItem) return rows(item.keys);
    // Newest first: the key the last rotation replaced is the one most likely still in use somewhere.
    if (item instanceof KeyItem)
      return (item.record.oldKeys ?? []).map((old) => new RetiredItem(item.record, old)).reverse();
    if (item) return [];
    const groups = this.groups();
    return groups ? groups.map((g) => new EnvironmentItem(g.baseUrl, g.keys)) : rows(this.store.list());
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/**
 * The title bar's toggle: the list as it is now shown turns into the other, written to the user's settings
 * ('always' or 'never'; 'auto' stays the default until the toggle is used).
 */
export async function setGrouping(grouped: boolean): Promise<boolean> {
  const mode = grouped ? 'always' : 'never';
  const id = settingId('keys.groupByEnvironment');
  await vscode.workspace.getConfiguration().update(id, mode, vscode.ConfigurationTarget.Global);
  const effective = setting('keys.groupByEnvironment');
  if (effective !== mode)
    void vscode.window.showWarningMessage(
      `Signus: your user settings now say ${id}: "${mode}", but this workspace's settings say "${effective}", which wins here.`,
    );
  return effective === mode;
}

let view: vscode.TreeView<KeyTreeNode> | undefined;

export function createKeyView(tree: KeyTreeProvider): vscode.TreeView<KeyTreeNode> {
  view = vscode.window.createTreeView('signus.keys', { treeDataProvider: tree, showCollapseAll: false });
  return view;
}

/** The key row selected in the key list: F2 and Delete act on it (their keybindings pass `{ selected: true }`). */
export function selectedKeyItem(): KeyItem | undefined {
  const node = view?.selection[0];
  return node instanceof KeyItem ? node : undefined;
}
