// Quick fix: move a key found in a file into the key list, then put an environment-variable read in its place.
import * as vscode from 'vscode';
import { parseApiKeyInput } from '@signus/shared';
import type { AddKeyArgs, AddKeyOutcome } from '../commands/add-key.js';
import { envReferenceEdit } from './env-reference.js';

interface StoreAndReplaceArgs extends Omit<AddKeyArgs, 'secret'> {
  uri?: unknown;
  /** 1-based, as in a Finding. */
  line?: unknown;
  column?: unknown;
  endColumn?: unknown;
}

export async function storeAndReplace(
  addKey: (args: AddKeyArgs) => Promise<AddKeyOutcome | undefined>,
  arg: unknown,
): Promise<AddKeyOutcome | undefined> {
  const { uri, line, column, endColumn, ...rest } = (arg ?? {}) as StoreAndReplaceArgs;
  if (
    typeof uri !== 'string' ||
    typeof line !== 'number' ||
    typeof column !== 'number' ||
    typeof endColumn !== 'number'
  ) {
    throw new Error('Store and Replace takes { uri, line, column, endColumn } (1-based) of a finding.');
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const range = new vscode.Range(line - 1, column - 1, line - 1, endColumn - 1);
  const secret = parseApiKeyInput(doc.getText(range)).key;
  if (!secret) throw new Error('The key is no longer at that place in the file; scan it again.');
  const added = await addKey({ ...rest, secret });
  if (!added) return undefined;
  const edit = envReferenceEdit(doc.languageId, doc.lineAt(line - 1).text, column - 1, endColumn - 1);
  if (edit) {
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.replace(doc.uri, new vscode.Range(line - 1, edit.start, line - 1, edit.end), edit.text);
    await vscode.workspace.applyEdit(workspaceEdit);
  }
  return added;
}
