import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { run, workspaceRoot } from './helpers.js';

describe('references, not values', () => {
  const root = () => workspaceRoot();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root(), stdio: 'pipe' });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const name of ['.env.reference-test', '.gitignore']) rmSync(join(root(), name), { force: true });
    try {
      git('rm', '-q', '--cached', '--ignore-unmatch', '.env.reference-test');
    } catch {
      // nothing staged
    }
  });

  it('writes the environment read of the file language at each cursor', async () => {
    for (const [language, expected] of [
      ['typescript', 'process.env.SIGNUS_API_KEY'],
      ['python', 'os.environ["SIGNUS_API_KEY"]'],
      ['go', 'os.Getenv("SIGNUS_API_KEY")'],
    ] as const) {
      const doc = await vscode.workspace.openTextDocument({ language, content: 'key = \n' });
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(0, 6, 0, 6);
      const outcome = await run<{ inserted?: string }>('signus.insertKeyReference');
      assert.equal(outcome.inserted, expected);
      assert.equal(doc.getText(), `key = ${expected}\n`);
    }
  });

  it('in a .env file, checks that git keeps the file out instead of writing a reference to itself', async () => {
    const path = join(root(), '.env.reference-test');
    writeFileSync(path, 'SIGNUS_API_KEY=\n');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(path));
    const check = () =>
      run<{ envFile?: { inRepository: boolean; ignored: boolean; tracked: boolean } }>('signus.insertKeyReference');

    assert.deepEqual((await check()).envFile, { inRepository: true, ignored: false, tracked: false });
    assert.equal(editor.document.getText(), 'SIGNUS_API_KEY=\n', 'nothing written into the .env file');

    writeFileSync(join(root(), '.gitignore'), '.env*\n');
    assert.deepEqual((await check()).envFile, { inRepository: true, ignored: true, tracked: false });

    git('add', '-f', '.env.reference-test');
    assert.deepEqual((await check()).envFile, { inRepository: true, ignored: true, tracked: true });
  });
});
