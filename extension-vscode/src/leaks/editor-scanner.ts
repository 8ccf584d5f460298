// Scans what the user looks at: visible documents when they appear and after typing pauses.
// Scanning is async and debounced per document, so typing never waits for it.
import * as vscode from 'vscode';
import type { Finding, KnownKeySet } from '@signus/shared';
import type { ScanContext } from '@signus/shared/node';
import { dirname, relative, sep } from 'node:path';
import type { Log } from '../log.js';
import type { KnownKeys } from './known-keys.js';
import { affects, setting } from '../config.js';

export const DIAGNOSTIC_SOURCE = 'signus';
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote']);

export function toDiagnostic(finding: Finding): vscode.Diagnostic {
  const range = new vscode.Range(finding.line - 1, finding.column - 1, finding.endLine - 1, finding.endColumn - 1);
  const diagnostic = new vscode.Diagnostic(
    range,
    finding.message,
    finding.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = finding.ruleId;
  return diagnostic;
}

/** The size limit every surface applies; the setting changes it for the editor and Scan Workspace. */
export function maxFileBytes(): number {
  return setting('scan.maxFileBytes');
}

/**
 * The project a document belongs to (the git work tree holding it: its .signusignore and baseline)
 * and its path there, as `signus scan` and the hook see it. Untitled documents get no project files.
 */
export async function documentContext(
  uri: vscode.Uri,
  knownKeys: KnownKeySet,
): Promise<{ context: ScanContext; path: string }> {
  // The node layer (files, git, every scanner) loads with the first scan, not with the extension.
  const { openScanContext } = await import('@signus/shared/node');
  if (uri.scheme !== 'file') {
    const context = openScanContext(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd(), {
      knownKeys,
      maxFileBytes: maxFileBytes(),
    });
    return {
      context: { ...context, ignore: undefined, baseline: undefined },
      path: vscode.workspace.asRelativePath(uri),
    };
  }
  const context = openScanContext(dirname(uri.fsPath), { knownKeys, maxFileBytes: maxFileBytes() });
  return { context, path: relative(context.root, uri.fsPath).split(sep).join('/') };
}

export class LeakDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  /** Findings by document URI, for hovers and quick fixes. */
  private readonly findings = new Map<string, Finding[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly versions = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly known: KnownKeys,
    private readonly log: Log,
  ) {
    this.subscriptions.push(
      this.collection,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.isVisible(e.document)) this.schedule(e.document);
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of editors) this.schedule(editor.document, 0);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
      known.onDidChange(() => this.rescanVisible()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'scan')) this.rescanVisible();
      }),
      // Trust brings the folder's own scan settings into effect.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.rescanVisible()),
    );
    this.rescanVisible();
  }

  private enabled(): boolean {
    return setting('scan.enabled');
  }

  private isVisible(doc: vscode.TextDocument): boolean {
    return vscode.window.visibleTextEditors.some((e) => e.document === doc);
  }

  rescanVisible(): void {
    for (const editor of vscode.window.visibleTextEditors) this.schedule(editor.document, 0);
  }

  findingsFor(uri: vscode.Uri): readonly Finding[] {
    return this.findings.get(uri.toString()) ?? [];
  }

  schedule(doc: vscode.TextDocument, delay?: number): void {
    if (!SCHEMES.has(doc.uri.scheme)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    const wait = delay ?? setting('scan.debounceMs');
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.scan(doc);
      }, wait),
    );
  }

  /** Scans one document now. Exposed for the workspace scan and tests. */
  async scan(doc: vscode.TextDocument): Promise<Finding[]> {
    const key = doc.uri.toString();
    if (!this.enabled() || doc.isClosed) {
      this.forget(doc.uri);
      return [];
    }
    const version = doc.version;
    this.versions.set(key, version);
    try {
      // The same context and decisions as `signus scan` and the hook (shared/src/node/scan-context.ts).
      const { context, path } = await documentContext(doc.uri, await this.known.current());
      const { scanDocument } = await import('@signus/shared/node');
      const { findings: found } = await scanDocument(context, path, doc.getText());
      // A newer edit started another scan meanwhile: its result wins.
      if (this.versions.get(key) !== version) return found;
      this.set(doc.uri, found);
      return found;
    } catch (error) {
      this.log.error(`Could not scan ${vscode.workspace.asRelativePath(doc.uri)}`, error);
      return [];
    }
  }

  set(uri: vscode.Uri, found: Finding[]): void {
    if (found.length === 0) {
      this.findings.delete(uri.toString());
      this.collection.delete(uri);
      return;
    }
    this.findings.set(uri.toString(), found);
    this.collection.set(uri, found.map(toDiagnostic));
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.versions.delete(key);
    // Closed files keep workspace-scan results; only editor results are dropped.
    if (this.findings.has(key) && !this.workspaceScanned.has(key)) {
      this.findings.delete(key);
      this.collection.delete(uri);
    }
  }

  /** Files whose findings came from Scan Workspace and stay after their editor closes. */
  readonly workspaceScanned = new Set<string>();

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
  }
}
