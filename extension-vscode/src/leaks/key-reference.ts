// "Insert Signus Key Reference": code reads the key from the environment instead of holding it. A .env file is
// where the key may live, so there the command checks that git keeps the file out of history instead.
import * as vscode from 'vscode';
import { displayName } from '@signus/shared';
import type { GitFileStatus } from '@signus/shared/node';
import { UserError } from '../commands/errors.js';
import { envRead, isDotEnvFile } from './env-reference.js';

export interface KeyReferenceOutcome {
  /** The expression written at each cursor. */
  inserted?: string;
  /** For a .env file: what git says about it. */
  envFile?: GitFileStatus;
}

export async function insertKeyReference(): Promise<KeyReferenceOutcome> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new UserError('Open a file first: the reference is written where the cursor is.');
  const doc = editor.document;
  if (isDotEnvFile(doc.languageId, doc.fileName)) return { envFile: await checkEnvFile(doc.uri) };
  const text = envRead(doc.languageId);
  const done = await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, text);
  });
  if (!done) throw new UserError('The editor did not take the edit (is the file read-only?).');
  return { inserted: text };
}

/** Says whether a .env file is safe to hold the key: git-ignored and not tracked. */
export async function checkEnvFile(target: vscode.Uri | string): Promise<GitFileStatus> {
  const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target;
  if (uri.scheme !== 'file') throw new UserError('Save the file first: git can only judge a file on disk.');
  const { gitFileStatus } = await import('@signus/shared/node');
  const status = await gitFileStatus(uri.fsPath);
  const name = displayName(vscode.workspace.asRelativePath(uri, false));
  if (!status.inRepository) {
    void vscode.window.showInformationMessage(
      `Signus: ${name} is a .env file, where the key may live (SIGNUS_API_KEY=…). It is not in a git repository; if you create one, add the file to .gitignore first.`,
    );
  } else if (status.tracked) {
    void vscode.window.showWarningMessage(
      `Signus: ${name} is tracked by git, so the key in it goes out with every push. Run "git rm --cached ${name}", add it to .gitignore, and replace a key that was already pushed.`,
    );
  } else if (!status.ignored) {
    void vscode.window.showWarningMessage(
      `Signus: ${name} is not git-ignored: "git add ." would commit the key. Add it to .gitignore.`,
    );
  } else {
    void vscode.window.showInformationMessage(
      `Signus: ${name} is a .env file that git ignores and does not track: the key may live here as SIGNUS_API_KEY=… ("Copy as .env Line" gives the line).`,
    );
  }
  return status;
}
