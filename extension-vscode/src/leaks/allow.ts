// One allow mechanism: "Allow" writes the finding's fingerprint into the project's .signusignore, which the
// editor, Scan Workspace, `signus scan` and the hook all read; "Manage Allowed Keys" lists everything a
// project allows (.signusignore, allow comments, the baseline) with where it came from, and removes it.
import * as vscode from 'vscode';
import type { AllowEntry } from '@signus/shared/node';
import { displayName } from '@signus/shared';
import { spokenMask } from '../keys/model.js';
import { UserError } from '../commands/errors.js';
import type { KnownKeys } from './known-keys.js';
import { repoLabel } from '../commit/repo-label.js';

/** What the quick fix, the staged-change warning and tests hand to "Allow". */
export interface AllowRequest {
  /** A file in the project (its .signusignore is the one written). */
  uri: string;
  fingerprint: string;
  masked: string;
  /** Where it was found, for the note written above the fingerprint. */
  path?: string;
  knownKeyLabel?: string;
  /** Skip the confirmation (tests and callers that already asked). */
  confirm?: boolean;
}

const ALLOW_EVERYWHERE = 'Allow Everywhere';

export class AllowList implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when this extension changed what is allowed; file watchers cover edits made elsewhere. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly known: KnownKeys) {}

  /** The project roots of the open local folders. */
  async roots(): Promise<string[]> {
    const { findProjectRoot } = await import('@signus/shared/node');
    const roots = (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => findProjectRoot(f.uri.fsPath));
    return [...new Set(roots)];
  }

  async entries(): Promise<AllowEntry[]> {
    const { listAllowed } = await import('@signus/shared/node');
    const known = await this.known.current();
    const out: AllowEntry[] = [];
    for (const root of await this.roots()) out.push(...(await listAllowed(root, known)));
    return out;
  }

  /** "Allow": asks first, says where it applies, then adds the fingerprint to .signusignore. */
  async allow(arg: unknown): Promise<boolean> {
    const request = parseRequest(arg);
    const uri = vscode.Uri.parse(request.uri);
    if (uri.scheme !== 'file') throw new UserError('Only a key in a file of a folder on disk can be allowed.');
    const { allowFingerprint, findProjectRoot } = await import('@signus/shared/node');
    const root = findProjectRoot(uri.fsPath);
    const where = request.path ?? vscode.workspace.asRelativePath(uri);
    if (!request.confirm) {
      const own = request.knownKeyLabel
        ? ` It is your stored key "${request.knownKeyLabel}": once allowed, it can be committed and pushed.`
        : '';
      const choice = await vscode.window.showWarningMessage(
        `Allow ${request.masked} everywhere in ${repoLabel(root)}?`,
        {
          modal: true,
          detail:
            `Its fingerprint (never the key) goes into .signusignore at the top of ${repoLabel(root)}. The editor, Scan Workspace, ` +
            `signus scan and the pre-commit hook then stop reporting this key in every file of the repository.${own} ` +
            'Commit .signusignore to share the decision; remove it later with "Signus: Manage Allowed Keys".',
        },
        ALLOW_EVERYWHERE,
      );
      if (choice !== ALLOW_EVERYWHERE) return false;
    }
    const added = allowFingerprint(root, request.fingerprint, `${where}: ${request.masked}, allowed in VS Code`);
    this.changed.fire();
    return added;
  }

  /** Removes one entry, after asking unless `confirm`. */
  async remove(entry: AllowEntry, confirm: boolean): Promise<boolean> {
    if (!confirm) {
      const choice = await vscode.window.showWarningMessage(
        `Stop allowing ${describe(entry).label}?`,
        {
          modal: true,
          detail: `${describe(entry).where} is removed. The editor, Scan Workspace, signus scan and the pre-commit hook report the key again.`,
        },
        'Remove',
      );
      if (choice !== 'Remove') return false;
    }
    const { removeAllowed } = await import('@signus/shared/node');
    const removed = removeAllowed(entry);
    if (!removed) throw new UserError(`${entry.file} changed since it was listed; nothing was removed.`);
    this.changed.fire();
    return removed;
  }

  /**
   * The command. Without arguments: a list a person can act on. With `{ list: true }`: the entries.
   * With `{ remove: {file, line, fingerprint?}, confirm? }`: removes that entry.
   */
  async manage(arg: unknown): Promise<AllowEntry[] | boolean | undefined> {
    const options = (typeof arg === 'object' && arg !== null ? arg : {}) as {
      list?: unknown;
      remove?: { file?: unknown; line?: unknown; fingerprint?: unknown; root?: unknown };
      confirm?: unknown;
    };
    if (options.list === true) return this.entries();
    if (options.remove) {
      const { file, line, fingerprint } = options.remove;
      const entry = (await this.entries()).find(
        (e) =>
          e.file === file &&
          (line === undefined || e.line === line) &&
          (fingerprint === undefined || e.fingerprint === fingerprint),
      );
      if (!entry) throw new UserError('No such allowed entry.');
      return this.remove(entry, options.confirm === true);
    }
    return this.pick();
  }

  private async pick(): Promise<undefined> {
    if ((await this.roots()).length === 0) {
      void vscode.window.showInformationMessage(
        'Signus: open a folder to see what it allows: .signusignore, signus:allow comments and the baseline live in the repository.',
      );
      return undefined;
    }
    const quickPick = vscode.window.createQuickPick<Item>();
    quickPick.title = 'Signus: allowed keys (editor, Scan Workspace, signus scan and the hook)';
    quickPick.placeholder = 'Select to open where it is allowed; the trash button removes it';
    quickPick.matchOnDescription = true;
    quickPick.matchOnDetail = true;
    const removeButton: vscode.QuickInputButton = {
      iconPath: new vscode.ThemeIcon('trash'),
      tooltip: 'Stop allowing (report it again everywhere)',
    };
    const refresh = async () => {
      quickPick.busy = true;
      const entries = await this.entries();
      quickPick.items = toItems(entries, removeButton);
      if (entries.length === 0)
        quickPick.placeholder = 'Nothing is allowed: every key-shaped string and stored key is reported';
      quickPick.busy = false;
    };
    const done = new Promise<void>((resolve) => {
      quickPick.onDidHide(() => {
        quickPick.dispose();
        resolve();
      });
      quickPick.onDidTriggerItemButton(async ({ item }) => {
        if (!item.entry) return;
        try {
          if (await this.remove(item.entry, false)) await refresh();
        } catch (error) {
          void vscode.window.showErrorMessage(`Signus: ${error instanceof Error ? error.message : String(error)}`);
        }
        quickPick.show();
      });
      quickPick.onDidAccept(async () => {
        const entry = quickPick.selectedItems[0]?.entry;
        if (!entry) return;
        quickPick.hide();
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(`${entry.root}/${entry.file}`));
        const line = Math.max(0, Math.min(entry.line - 1, doc.lineCount - 1));
        await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, 0) });
      });
    });
    quickPick.show();
    await refresh();
    await done;
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

interface Item extends vscode.QuickPickItem {
  entry?: AllowEntry;
}

const SOURCE_TITLES: Record<AllowEntry['source'], string> = {
  signusignore: '.signusignore: fingerprints',
  'signusignore-path': '.signusignore: paths (every key in them)',
  comment: 'signus:allow comments',
  baseline: 'Baseline (.signus-baseline.json)',
};

function describe(entry: AllowEntry): { label: string; where: string } {
  const short = entry.fingerprint ? `${entry.fingerprint.slice(0, 12)}…` : '';
  const key =
    entry.masked !== undefined
      ? spokenMask(entry.masked)
      : entry.knownKeyLabel
        ? `your key "${entry.knownKeyLabel}"`
        : `fingerprint ${short}`;
  switch (entry.source) {
    case 'signusignore-path':
      return { label: `every key in ${entry.path ?? ''}`, where: `The line ${entry.path ?? ''} of .signusignore` };
    case 'comment':
      return { label: key, where: `The signus:allow comment on ${entry.file}:${entry.line}` };
    case 'baseline':
      return { label: `${key} in ${entry.path ?? ''}`, where: 'Its baseline entry' };
    default:
      return { label: key, where: `Line ${entry.line} of .signusignore` };
  }
}

function toItems(entries: readonly AllowEntry[], removeButton: vscode.QuickInputButton): Item[] {
  const items: Item[] = [];
  const multiRoot = new Set(entries.map((e) => e.root)).size > 1;
  let group = '';
  for (const entry of entries) {
    const title = `${SOURCE_TITLES[entry.source]}${multiRoot ? ` — ${displayName(entry.root)}` : ''}`;
    if (title !== group) {
      items.push({ label: title, kind: vscode.QuickPickItemKind.Separator });
      group = title;
    }
    const { label } = describe(entry);
    const own = entry.knownKeyLabel ? ` · your stored key "${entry.knownKeyLabel}"` : '';
    items.push({
      label: `$(${entry.source === 'signusignore-path' ? 'folder' : 'shield'}) ${label}`,
      description: entry.line > 0 ? `${entry.file}:${entry.line}` : entry.file,
      detail: `${entry.fingerprint ? `sha256 ${entry.fingerprint.slice(0, 16)}…` : 'path glob'}${own}${entry.note ? ` · ${entry.note}` : ''}`,
      buttons: [removeButton],
      entry,
    });
  }
  return items;
}

function parseRequest(arg: unknown): AllowRequest {
  const r = (arg ?? {}) as Partial<AllowRequest>;
  if (typeof r.uri !== 'string' || typeof r.fingerprint !== 'string' || typeof r.masked !== 'string')
    throw new UserError('Allow takes { uri, fingerprint, masked }.');
  return r as AllowRequest;
}
