// Quick fixes for a leaked key, and the hover that says which key it is.
import * as vscode from 'vscode';
import { COMMANDS } from '../contributes.js';
import type { Finding } from '@signus/shared';
import { spokenMask } from '../keys/model.js';
import { envReferenceEdit, isDotEnvFile } from './env-reference.js';
import { DIAGNOSTIC_SOURCE, type LeakDiagnostics } from './editor-scanner.js';

function rangeOf(f: Finding): vscode.Range {
  return new vscode.Range(f.line - 1, f.column - 1, f.endLine - 1, f.endColumn - 1);
}

export class LeakCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: LeakDiagnostics) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    for (const diagnostic of ours) {
      const finding = this.diagnostics.findingsFor(doc.uri).find((f) => rangeOf(f).isEqual(diagnostic.range));
      if (!finding || finding.line !== finding.endLine) continue;
      const line = doc.lineAt(finding.line - 1).text;
      const edit =
        finding.encoding === 'plain' || finding.encoding === undefined
          ? envReferenceEdit(doc.languageId, line, finding.column - 1, finding.endColumn - 1)
          : undefined;
      if (edit) {
        const fix = new vscode.CodeAction(`Replace the key with ${edit.expression}`, vscode.CodeActionKind.QuickFix);
        fix.diagnostics = [diagnostic];
        fix.isPreferred = true;
        fix.edit = new vscode.WorkspaceEdit();
        fix.edit.replace(
          doc.uri,
          new vscode.Range(finding.line - 1, edit.start, finding.line - 1, edit.end),
          edit.text,
        );
        actions.push(fix);
      }
      if (!finding.knownKeyLabel && finding.encoding !== 'base64' && finding.encoding !== 'url') {
        const store = new vscode.CodeAction(
          edit
            ? `Store the key in Signus API Keys and replace it with ${edit.expression}`
            : 'Store the key in Signus API Keys',
          vscode.CodeActionKind.QuickFix,
        );
        store.diagnostics = [diagnostic];
        store.command = {
          command: COMMANDS.storeAndReplace,
          title: store.title,
          arguments: [
            { uri: doc.uri.toString(), line: finding.line, column: finding.column, endColumn: finding.endColumn },
          ],
        };
        actions.push(store);
      }
      if (isDotEnvFile(doc.languageId, doc.fileName) && doc.uri.scheme === 'file') {
        // The key may live in a .env file: what matters is that git never takes the file.
        const check = new vscode.CodeAction(
          'Check that this .env file stays out of git',
          vscode.CodeActionKind.QuickFix,
        );
        check.diagnostics = [diagnostic];
        check.isPreferred = true;
        check.command = {
          command: COMMANDS.checkEnvFile,
          title: check.title,
          arguments: [{ uri: doc.uri.toString() }],
        };
        actions.push(check);
      }
      if (doc.uri.scheme === 'file') {
        // One mechanism for every surface: the fingerprint in .signusignore (asks first, says so).
        const allow = new vscode.CodeAction(
          'Allow this key everywhere (.signusignore)…',
          vscode.CodeActionKind.QuickFix,
        );
        allow.diagnostics = [diagnostic];
        allow.command = {
          command: COMMANDS.allowKey,
          title: allow.title,
          arguments: [
            {
              uri: doc.uri.toString(),
              fingerprint: finding.fingerprint,
              masked: finding.masked,
              ...(finding.knownKeyLabel !== undefined && { knownKeyLabel: finding.knownKeyLabel }),
            },
          ],
        };
        actions.push(allow);
      }
    }
    return actions;
  }
}

export class LeakHover implements vscode.HoverProvider {
  constructor(private readonly diagnostics: LeakDiagnostics) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const finding = this.diagnostics.findingsFor(doc.uri).find((f) => rangeOf(f).contains(position));
    if (!finding) return undefined;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**Signus API key**, ${spokenMask(finding.masked)}\n\n`);
    md.appendMarkdown(
      finding.knownKeyLabel
        ? `This is your stored key **${finding.knownKeyLabel.replace(/[\\`*_[\]<>]/g, '\\$&')}**. Anyone who can read this file can use it.`
        : 'A key-shaped string; it is not one of the keys stored in VS Code.',
    );
    if (finding.encoding && finding.encoding !== 'plain') md.appendMarkdown(`\n\nFound ${finding.encoding}-encoded.`);
    return new vscode.Hover(md, rangeOf(finding));
  }
}
