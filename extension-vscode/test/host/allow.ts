import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, run, waitFor, workspaceRoot } from './helpers.js';

const fakeKey = (tag: string) => `sk_${tag}_${randomBytes(18).toString('hex')}`;
const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'signus');

interface Entry {
  source: string;
  file: string;
  line: number;
  fingerprint?: string;
  masked?: string;
  knownKeyLabel?: string;
  note?: string;
}

/** The bundled CLI, as the pre-commit hook runs it: exit 1 when it reports a finding. */
function cliScan(root: string, file: string): { status: number | null; output: string } {
  const extension = vscode.extensions.getExtension('signus.signus-vscode');
  assert.ok(extension);
  const cli = join(extension.extensionPath, 'dist', 'cli', 'signus.mjs');
  const r = spawnSync(process.execPath, [cli, 'scan', '--no-cache', file], { cwd: root, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('one allow list (editor, Scan Workspace, signus scan and the hook)', () => {
  const allowedKey = fakeKey('FAKE');
  const commented = fakeKey('FAKE');
  let root: string;
  let file: string;
  let doc: vscode.TextDocument;

  before(async () => {
    root = workspaceRoot();
    file = join(root, 'allow-me.ts');
    writeFileSync(file, `export const demo = '${allowedKey}';\n`);
    writeFileSync(join(root, 'commented.py'), `DEMO = "${commented}"  # signus:allow\n`);
    doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of ['allow-me.ts', 'commented.py', '.signusignore', 'excluded', 'ignored-dir', '.gitignore'])
      rmSync(join(root, f), { recursive: true, force: true });
    await vscode.workspace.getConfiguration('files').update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('"Allow" writes the fingerprint, never the key, to .signusignore, and every surface stops reporting it', async () => {
    const [finding] = await waitFor('the finding', async () => {
      const f = (await api()).diagnostics.findingsFor(doc.uri);
      return f.length === 1 ? f : undefined;
    });
    assert.ok(finding);
    assert.equal(cliScan(root, 'allow-me.ts').status, 1, 'the CLI (the hook) reports it before');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      doc.lineAt(0).range,
    );
    const allow = actions.find((a) => a.title === 'Allow this key everywhere (.signusignore)…');
    assert.ok(allow?.command, actions.map((a) => a.title).join(' | '));
    const [request] = allow.command.arguments as [Record<string, unknown>];
    assert.equal(await run('signus.allowKey', { ...request, confirm: true }), true);

    const ignore = readFileSync(join(root, '.signusignore'), 'utf8');
    assert.ok(ignore.includes(finding.fingerprint), 'the fingerprint is in .signusignore');
    assert.ok(!ignore.includes(allowedKey), 'the key is not');
    assert.match(ignore, /# allow-me\.ts: sk_•+\w{4}, allowed in VS Code/);
    await waitFor('the editor to stop reporting it', () => ours(doc.uri).length === 0 || undefined);
    assert.equal(cliScan(root, 'allow-me.ts').status, 0, 'the CLI (the hook) does not report it');
    const summary = await run<{ filesWithFindings: string[] }>('signus.scanWorkspace');
    assert.ok(!summary.filesWithFindings.includes('allow-me.ts'), summary.filesWithFindings.join(', '));
    assert.equal(await run('signus.allowKey', { ...request, confirm: true }), false, 'not written twice');
  });

  it('lists what is allowed with where it came from: .signusignore and signus:allow comments', async () => {
    const entries = await run<Entry[]>('signus.manageAllowed', { list: true });
    const fromIgnore = entries.find((e) => e.source === 'signusignore');
    assert.ok(fromIgnore, JSON.stringify(entries));
    assert.equal(fromIgnore.file, '.signusignore');
    assert.equal(fromIgnore.line, 2);
    assert.match(fromIgnore.note ?? '', /allow-me\.ts/);
    const fromComment = entries.find((e) => e.source === 'comment');
    assert.ok(fromComment, JSON.stringify(entries));
    assert.equal(fromComment.file, 'commented.py');
    assert.equal(fromComment.line, 1);
    assert.equal(fromComment.masked, `sk_••••••••${commented.slice(-4)}`);
    const text = JSON.stringify(entries);
    assert.ok(!text.includes(allowedKey) && !text.includes(commented), 'no key in the list');
  });

  it('removing an entry brings the finding back everywhere', async () => {
    const entries = await run<Entry[]>('signus.manageAllowed', { list: true });
    const fromIgnore = entries.find((e) => e.source === 'signusignore');
    assert.ok(fromIgnore);
    assert.equal(
      await run('signus.manageAllowed', { remove: { file: '.signusignore', line: fromIgnore.line }, confirm: true }),
      true,
    );
    assert.ok(!readFileSync(join(root, '.signusignore'), 'utf8').includes(fromIgnore.fingerprint ?? '-'));
    await waitFor('the editor to report it again', () => ours(doc.uri).length === 1 || undefined);
    assert.equal(cliScan(root, 'allow-me.ts').status, 1);

    const comment = entries.find((e) => e.source === 'comment');
    assert.ok(comment);
    await run('signus.manageAllowed', { remove: { file: 'commented.py', line: 1 }, confirm: true });
    assert.equal(readFileSync(join(root, 'commented.py'), 'utf8'), `DEMO = "${commented}"\n`);
    await assert.rejects(
      run('signus.manageAllowed', { remove: { file: 'commented.py', line: 1 }, confirm: true }),
      /No such allowed entry/,
    );
  });

  it('Scan Workspace skips what .gitignore and files.exclude leave out', async () => {
    mkdirSync(join(root, 'excluded'), { recursive: true });
    mkdirSync(join(root, 'ignored-dir'), { recursive: true });
    writeFileSync(join(root, 'excluded', 'a.ts'), `const k = '${fakeKey('FAKE')}';\n`);
    writeFileSync(join(root, 'ignored-dir', 'b.ts'), `const k = '${fakeKey('FAKE')}';\n`);
    writeFileSync(join(root, '.gitignore'), 'ignored-dir/\n');
    const before = await run<{ filesWithFindings: string[] }>('signus.scanWorkspace');
    assert.ok(before.filesWithFindings.includes('excluded/a.ts'), 'found while not excluded');
    assert.ok(!before.filesWithFindings.includes('ignored-dir/b.ts'), '.gitignore honoured');
    await vscode.workspace
      .getConfiguration('files')
      .update('exclude', { excluded: true }, vscode.ConfigurationTarget.Workspace);
    const after = await run<{ filesWithFindings: string[] }>('signus.scanWorkspace');
    assert.ok(!after.filesWithFindings.includes('excluded/a.ts'), after.filesWithFindings.join(', '));
    assert.ok(after.filesWithFindings.includes('allow-me.ts'));
    assert.equal(ours(vscode.Uri.file(join(root, 'excluded', 'a.ts'))).length, 0, 'its old result is gone');
  });

  it('results of Scan Workspace refresh when the keys change: a stored key turns a warning into an error', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = vscode.Uri.file(join(root, 'commented.py'));
    const warning = await waitFor('the scan result for a closed file', () => ours(uri)[0]);
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    await vscode.commands.executeCommand('signus.addKey', {
      name: 'Allow fixture',
      secret: commented,
      accountId: '123e4567-e89b-12d3-a456-426614174000',
      environment: 'production',
      test: false,
    });
    try {
      await waitFor(
        'the closed file to be re-scanned with the new key',
        () => ours(uri)[0]?.severity === vscode.DiagnosticSeverity.Error || undefined,
        20_000,
      );
    } finally {
      await vscode.commands.executeCommand('signus.deleteKey', { name: 'Allow fixture', confirm: true });
    }
    assert.ok(existsSync(join(root, 'commented.py')));
  });
});
