import { copySecretText } from '../clipboard.js';
// Shows a key test's result in a webview; copying and re-running go back through the extension,
// so the exact secret is only ever handed to the clipboard, never to the webview.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { exactCurl, presentKeyTest, type KeyTestResult } from '@signus/shared';
import { parsePanelMessage, type PanelMessage } from './messages.js';
import { renderResult, renderRunning, type PanelContext } from './render.js';
import type { KeyTestHistory } from './test-history.js';

export interface PanelSubject {
  /** Shown in the title; undefined for a pasted key. */
  keyName?: string;
  /** Masked text that says what is being tested. */
  label: string;
  run(): Promise<{ result: KeyTestResult; secret: string }>;
  /** A stored key's earlier tests: each run is added, and the panel lists them. */
  history?: KeyTestHistory;
  /** Asked before Copy cURL puts the key on the clipboard (a production key asks in a modal). */
  confirmCopy?: () => Promise<boolean>;
}

export class KeyTestPanel implements vscode.Disposable {
  private static current: KeyTestPanel | undefined;
  private readonly panel: vscode.WebviewPanel;
  private subject: PanelSubject;
  private last: { result: KeyTestResult; secret: string } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  /** The panel that is open, for tests. */
  static get open(): KeyTestPanel | undefined {
    return KeyTestPanel.current;
  }

  static async show(subject: PanelSubject): Promise<KeyTestResult> {
    if (KeyTestPanel.current) {
      KeyTestPanel.current.subject = subject;
      KeyTestPanel.current.panel.reveal(vscode.ViewColumn.Active);
    } else {
      KeyTestPanel.current = new KeyTestPanel(subject);
    }
    return KeyTestPanel.current.run();
  }

  private constructor(subject: PanelSubject) {
    this.subject = subject;
    this.panel = vscode.window.createWebviewPanel('signus.keyTest', 'Signus key test', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [],
      retainContextWhenHidden: false,
    });
    this.panel.onDidDispose(() => this.dispose(), undefined, this.subscriptions);
    this.panel.webview.onDidReceiveMessage(
      (m: unknown) => {
        const message = parsePanelMessage(m);
        if (message) void this.onMessage(message);
      },
      undefined,
      this.subscriptions,
    );
  }

  /** The last result shown, for tests; holds no secret. */
  get result(): KeyTestResult | undefined {
    return this.last?.result;
  }

  get html(): string {
    return this.panel.webview.html;
  }

  /** `focus`: the button that started this run gets the focus back when the page is replaced. */
  async run(focus?: PanelContext['focus']): Promise<KeyTestResult> {
    const subject = this.subject;
    this.panel.title = `Key test: ${subject.keyName ?? subject.label}`;
    this.panel.webview.html = renderRunning(this.context(), subject.label);
    this.last = await subject.run();
    await subject.history?.record(this.last.result);
    const ctx = this.context();
    if (focus) ctx.focus = focus;
    if (subject.history) ctx.history = subject.history.list();
    this.panel.webview.html = renderResult(presentKeyTest(this.last.result), ctx);
    return this.last.result;
  }

  private context(): PanelContext {
    const ctx: PanelContext = { nonce: randomBytes(16).toString('base64'), cspSource: this.panel.webview.cspSource };
    if (this.subject.keyName !== undefined) ctx.keyName = this.subject.keyName;
    return ctx;
  }

  async onMessage(message: PanelMessage): Promise<void> {
    const last = this.last;
    switch (message.type) {
      case 'copyJson': {
        // Pretty JSON when the body parses, else the body as received; redacted either way.
        const copy = last && presentKeyTest(last.result).response?.copy;
        if (copy) {
          await vscode.env.clipboard.writeText(copy.text);
          void vscode.window.showInformationMessage(
            `Signus: copied the full response${copy.label === 'Copy full JSON' ? ' JSON' : ' body'}.`,
          );
        }
        return;
      }
      case 'openBody': {
        // The whole body, redacted, in an untitled editor: searchable and foldable, never saved unasked.
        const view = last && presentKeyTest(last.result).response;
        if (view?.copy) {
          const doc = await vscode.workspace.openTextDocument({
            content: view.copy.text,
            language: view.isJson ? 'json' : 'plaintext',
          });
          await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
        }
        return;
      }
      case 'copyCurl':
        if (last && (await (this.subject.confirmCopy?.() ?? true))) {
          const clearing = await copySecretText(exactCurl(last.result.request, last.secret));
          void vscode.window.showInformationMessage(`Signus: copied the cURL command, with the key.${clearing}`);
        }
        return;
      case 'rerun':
        await this.run('rerun');
        return;
    }
  }

  dispose(): void {
    if (KeyTestPanel.current === this) KeyTestPanel.current = undefined;
    for (const s of this.subscriptions) s.dispose();
    this.panel.dispose();
  }
}
