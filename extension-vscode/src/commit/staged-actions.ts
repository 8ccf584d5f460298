// Quick fixes on a staged key ("Staged for commit: …" in the Problems view, or the editor's own warning for a key
// that is also staged): unstage the file, replace the key with a read of SIGNUS_API_KEY (and stage that fix), allow
// it (the one allow list), or open "Respond to a Leaked Key" for one of the user's keys.
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { displayName, fingerprintSecret, keyShapedRuns } from '@signus/shared';
import type { FileFinding } from '@signus/shared/node';
import { UserError } from '../commands/errors.js';
import { COMMANDS } from '../contributes.js';
import { DIAGNOSTIC_SOURCE } from '../leaks/editor-scanner.js';
import { envReferenceEdit } from '../leaks/env-reference.js';
import type { Log } from '../log.js';

export const STAGED_PREFIX = 'Staged for commit: ';

/** What the guard knows about staged findings. */
export interface StagedFindings {
  /** The staged findings of the file at `uri`, with their repository root. */
  stagedIn(uri: vscode.Uri): { root: string; findings: FileFinding[] } | undefined;
}

export interface StagedKeyArgs {
  root: string;
  /** Relative to root, `/`-separated. */
  path: string;
  line: number;
  column: number;
  length: number;
  fingerprint: string;
  masked: string;
}

export class StagedCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly staged: StagedFindings) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    const staged = ours.length ? this.staged.stagedIn(doc.uri) : undefined;
    if (!staged) return [];
    const actions: vscode.CodeAction[] = [];
    const action = (title: string, diagnostic: vscode.Diagnostic, command: string, arg: unknown, preferred = false) => {
      const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      a.diagnostics = [diagnostic];
      a.isPreferred = preferred;
      a.command = { command, title, arguments: [arg] };
      actions.push(a);
    };
    for (const diagnostic of ours) {
      const isStaged = diagnostic.message.startsWith(STAGED_PREFIX);
      // A staged problem sits where the staged copy has the key; the editor's own warning where the working copy has it.
      const finding = staged.findings.find(
        (f) =>
          f.line - 1 === diagnostic.range.start.line && (isStaged || f.column - 1 === diagnostic.range.start.character),
      );
      if (!finding) continue;
      const { root } = staged;
      action(
        `Unstage ${displayName(finding.path)}`,
        diagnostic,
        COMMANDS.unstageFile,
        { root, path: finding.path },
        true,
      );
      if (isStaged && (finding.encoding ?? 'plain') === 'plain') {
        const args: StagedKeyArgs = {
          root,
          path: finding.path,
          line: finding.line,
          column: finding.column,
          length: finding.length,
          fingerprint: finding.fingerprint,
          masked: finding.masked,
        };
        action(
          'Replace the key with an environment variable read, and stage the fix',
          diagnostic,
          COMMANDS.replaceStagedKey,
          args,
        );
      }
      // The editor's own warning already offers "Allow" (code-actions.ts): not twice.
      if (isStaged)
        action('Allow this key everywhere (.signusignore)…', diagnostic, COMMANDS.allowKey, {
          uri: doc.uri.toString(),
          fingerprint: finding.fingerprint,
          masked: finding.masked,
          path: finding.path,
          ...(finding.knownKeyLabel !== undefined && { knownKeyLabel: finding.knownKeyLabel }),
        });
      if (finding.knownKeyLabel)
        action(`Respond to a leak of "${finding.knownKeyLabel}"…`, diagnostic, COMMANDS.respondToLeak, {
          name: finding.knownKeyLabel,
        });
    }
    return actions;
  }
}

function git(args: string[], cwd: string): Promise<boolean> {
  return new Promise((resolve) => execFile('git', args, { cwd }, (error) => resolve(!error)));
}

/** Where the staged key is in the working copy: at the staged position, else anywhere (the lines moved). */
async function locate(doc: vscode.TextDocument, a: StagedKeyArgs): Promise<vscode.Range | undefined> {
  const at = async (line: number, start: number, text: string) =>
    (await fingerprintSecret(text)) === a.fingerprint
      ? new vscode.Range(line, start, line, start + text.length)
      : undefined;
  if (a.line - 1 < doc.lineCount) {
    const text = doc.lineAt(a.line - 1).text;
    const exact = await at(a.line - 1, a.column - 1, text.slice(a.column - 1, a.column - 1 + a.length));
    if (exact) return exact;
  }
  for (let line = 0; line < doc.lineCount; line++)
    for (const run of keyShapedRuns(doc.lineAt(line).text)) {
      const found = await at(line, run.index, run.text);
      if (found) return found;
    }
  return undefined;
}

/**
 * Replaces the staged key in the working copy with the file language's read of SIGNUS_API_KEY and saves it. When
 * the file had no other unstaged change, the fix is staged too, so the commit no longer holds the key; otherwise
 * staging is left to the user (staging would take their other changes along).
 */
export async function replaceStagedKey(arg: unknown, log: Log): Promise<{ expression: string; staged: boolean }> {
  const a = arg as StagedKeyArgs;
  if (typeof a?.root !== 'string' || typeof a.path !== 'string' || typeof a.fingerprint !== 'string')
    throw new UserError('replaceStagedKey needs { root, path, line, column, length, fingerprint, masked }.');
  const uri = vscode.Uri.joinPath(vscode.Uri.file(a.root), ...a.path.split('/'));
  const doc = await vscode.workspace.openTextDocument(uri);
  const name = displayName(a.path);
  const range = await locate(doc, a);
  if (!range)
    throw new UserError(
      `The working copy of ${name} no longer holds ${a.masked}; the staged copy does: unstage the file, or stage the fixed file.`,
    );
  const line = doc.lineAt(range.start.line).text;
  const edit = envReferenceEdit(doc.languageId, line, range.start.character, range.end.character);
  if (!edit)
    throw new UserError(
      `No safe rewrite of a key in this ${doc.languageId} file: replace ${a.masked} in ${name} by hand, or unstage it.`,
    );
  const clean = !doc.isDirty && (await git(['diff', '--quiet', '--', a.path], a.root));
  const workspaceEdit = new vscode.WorkspaceEdit();
  workspaceEdit.replace(uri, new vscode.Range(range.start.line, edit.start, range.start.line, edit.end), edit.text);
  if (!(await vscode.workspace.applyEdit(workspaceEdit)) || !(await doc.save()))
    throw new UserError(`Could not write ${name}.`);
  const staged = clean && (await git(['add', '--', a.path], a.root));
  log.info(`Replaced ${a.masked} in ${a.path} with ${edit.expression}${staged ? ', and staged the fix' : ''}.`);
  if (!staged)
    void vscode.window.showInformationMessage(
      `Signus: ${name} now reads ${edit.expression}. Its staged copy still holds the key: stage the file again (it has other unstaged changes).`,
    );
  return { expression: edit.expression, staged };
}
