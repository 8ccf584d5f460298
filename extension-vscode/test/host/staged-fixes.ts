import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { addKey, api, filesContaining, openInGit, tempRepo, waitFor } from './helpers.js';

describe('quick fixes on a staged key', () => {
  const own = `sk_TEST_${randomBytes(18).toString('hex')}`;
  let root: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
  const uri = () => vscode.Uri.file(join(root, 'config.ts'));
  const stagedProblem = () =>
    waitFor(
      'the staged problem',
      () => vscode.languages.getDiagnostics(uri()).find((d) => d.message.startsWith('Staged for commit')),
      20_000,
    );
  // As the Problems view does: the file's model is opened (not an editor) and asked for the line's quick fixes.
  const actions = async (diagnostic: vscode.Diagnostic) => {
    const doc = await vscode.workspace.openTextDocument(uri());
    return (
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        doc.lineAt(diagnostic.range.start.line).range,
      )) ?? []
    );
  };
  // The first request can come before the language's own providers settle: asked again until ours answer.
  const action = async (title: RegExp) => {
    const found = await waitFor(`a quick fix titled ${title}`, async () =>
      (await actions(await stagedProblem())).find((a) => title.test(a.title)),
    );
    assert.ok(found.command);
    return found.command;
  };
  const stageKey = () => {
    writeFileSync(join(root, 'config.ts'), `export const key = '${own}';\n`);
    git('add', 'config.ts');
  };

  before(async () => {
    const guard = await waitFor('the commit guard', async () => (await api()).commitGuard(), 10_000);
    guard.ask = () => Promise.resolve(undefined);
    await addKey({
      name: 'Staged fixture',
      secret: own,
      accountId: '123e4567-e89b-12d3-a456-426614174000',
      environment: 'production',
      test: false,
    });
    root = tempRepo('signus-fixes-');
    await openInGit(root);
    stageKey();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('signus.deleteKey', { name: 'Staged fixture', confirm: true });
    rmSync(root, { recursive: true, force: true });
  });

  it('offers unstage, replace with a reference, allow and the incident response on the staged problem', async () => {
    await action(/^Unstage/);
    const titles = (await actions(await stagedProblem())).map((a) => a.title);
    for (const expected of [
      'Unstage config.ts',
      'Replace the key with an environment variable read, and stage the fix',
      'Allow this key everywhere (.signusignore)…',
      'Respond to a leak of "Staged fixture"…',
    ])
      assert.ok(titles.includes(expected), `"${expected}" in ${JSON.stringify(titles)}`);
  });

  it('"Unstage" unstages the file, and the staged problem goes', async () => {
    const command = await action(/^Unstage/);
    assert.equal(await vscode.commands.executeCommand(command.command, ...(command.arguments ?? [])), true);
    assert.equal(git('diff', '--cached', '--name-only').trim(), '', 'nothing is staged');
    await waitFor(
      'the staged problem to go',
      () =>
        vscode.languages.getDiagnostics(uri()).every((d) => !d.message.startsWith('Staged for commit')) || undefined,
      20_000,
    );
    stageKey();
  });

  it('"Allow" writes the fingerprint (never the key) into .signusignore', async () => {
    const command = await action(/^Allow/);
    const [arg] = command.arguments ?? [];
    // The action's own argument, confirmed as the modal would be.
    assert.equal(await vscode.commands.executeCommand(command.command, { ...(arg as object), confirm: true }), true);
    const ignore = readFileSync(join(root, '.signusignore'), 'utf8');
    assert.match(ignore, /[0-9a-f]{64}/);
    assert.ok(!ignore.includes(own));
    rmSync(join(root, '.signusignore'));
    git('reset', '-q');
    stageKey();
  });

  it('"Respond to a leak" opens the incident response for that key, which finds the copy', async () => {
    const command = await action(/^Respond to a leak/);
    const [arg] = command.arguments ?? [];
    assert.deepEqual(arg, { name: 'Staged fixture' });
    const reportDir = mkdtempSync(join(tmpdir(), 'signus-fixes-report-'));
    try {
      const outcome = (await vscode.commands.executeCommand(command.command, {
        ...(arg as object),
        roots: [root],
        home: false,
        reportDir,
        openReport: false,
        steps: {},
      })) as { report: { files: unknown[] } };
      assert.ok(outcome.report.files.length >= 1, 'the staged file is among the copies');
      assert.ok(!readFileSync(join(reportDir, 'incident.md'), 'utf8').includes(own));
    } finally {
      rmSync(reportDir, { recursive: true, force: true });
    }
  });

  it('"Replace" puts a read of SIGNUS_API_KEY in place of the key and stages the fix; no log holds the key', async () => {
    const command = await action(/^Replace/);
    const outcome = (await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []))) as {
      expression: string;
      staged: boolean;
    };
    assert.deepEqual(outcome, { expression: 'process.env.SIGNUS_API_KEY', staged: true });
    assert.equal(readFileSync(join(root, 'config.ts'), 'utf8'), 'export const key = process.env.SIGNUS_API_KEY;\n');
    assert.equal(git('show', ':config.ts'), 'export const key = process.env.SIGNUS_API_KEY;\n', 'the fix is staged');
    await waitFor(
      'the staged problem to go',
      () =>
        vscode.languages.getDiagnostics(uri()).every((d) => !d.message.startsWith('Staged for commit')) || undefined,
      20_000,
    );
    await new Promise((r) => setTimeout(r, 1500)); // the log writer flushes to disk
    const userData = process.env.SIGNUS_TEST_USER_DATA;
    assert.ok(userData && existsSync(join(userData, 'logs')));
    assert.ok(filesContaining(join(userData, 'logs'), 'Replaced key ending in ').length > 0, 'the log line is on disk');
    assert.deepEqual(filesContaining(join(userData, 'logs'), own), [], 'no log or output channel holds the key');
  });
});
