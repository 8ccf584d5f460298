import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { knownKeyFingerprints, serializeRevokedKeysFile } from '@signus/shared';
import { addKey, api, waitFor, workspaceRoot } from './helpers.js';

const fakeKey = (tag: string) => `sk_${tag}_${randomBytes(18).toString('hex')}`;

describe('leak warnings in the editor', () => {
  const own = fakeKey('TEST');
  const stranger = fakeKey('FAKE');
  let doc: vscode.TextDocument;

  before(async () => {
    await addKey({
      name: 'Leak fixture',
      secret: own,
      accountId: '123e4567-e89b-12d3-a456-426614174000',
      environment: 'production',
      test: false,
    });
    const file = join(workspaceRoot(), 'planted.ts');
    writeFileSync(file, `const mine = '${own}';\nconst theirs = "Bearer ${stranger}";\nexport { mine, theirs };\n`);
    doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    rmSync(doc.uri.fsPath, { force: true });
  });

  it('marks a stored key as an Error and a key-shaped string as a Warning, source "signus"', async () => {
    const diagnostics = await waitFor('two signus diagnostics', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'signus');
      return d.length === 2 ? d : undefined;
    });
    const [first, second] = [...diagnostics].sort((a, b) => a.range.start.line - b.range.start.line);
    assert.ok(first && second);
    assert.equal(first.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(first.range.start.line, 0);
    assert.equal(doc.getText(first.range), own);
    assert.equal(second.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(doc.getText(second.range), stranger);
    for (const d of diagnostics)
      assert.ok(!d.message.includes(own) && !d.message.includes(stranger), 'messages hold no secret');
  });

  it('names a key an incident confirmed revoked (the revoked-keys file beside the known keys) as revoked', async () => {
    const file = join(dirname(process.env.SIGNUS_KNOWN_KEYS!), 'revoked-keys.json');
    writeFileSync(
      file,
      serializeRevokedKeysFile([
        {
          label: 'Old Production',
          masked: `sk_••••••••${stranger.slice(-4)}`,
          revokedAt: '2026-12-01T10:00:00.000Z',
          fingerprints: await knownKeyFingerprints(stranger),
        },
      ]),
    );
    try {
      (await api()).known.refresh();
      const revoked = await waitFor('the stranger key named as revoked', () =>
        vscode.languages
          .getDiagnostics(doc.uri)
          .find((d) => d.source === 'signus' && d.range.start.line === 1 && /revoked/.test(d.message)),
      );
      assert.match(revoked.message, /Old Production \(revoked 2026-12-01\)/);
      assert.ok(!revoked.message.includes(stranger));
    } finally {
      rmSync(file, { force: true });
      (await api()).known.refresh();
    }
  });

  it('says in a hover which stored key it is, masked', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(0, 20),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /your stored key \*\*Leak fixture\*\*/);
    assert.ok(text.includes(`key ending in ${own.slice(-4)}`));
    assert.ok(!text.includes('•'), 'words, not bullets');
    assert.ok(!text.includes(own));
  });

  it('offers quick fixes: environment variable, store and replace, allow everywhere', async () => {
    const line1 = doc.lineAt(1).range;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      line1,
    );
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Replace the key with process.env.SIGNUS_API_KEY'), titles.join(' | '));
    assert.ok(titles.some((t) => t.startsWith('Store the key in Signus API Keys and replace it')));
    assert.ok(titles.includes('Allow this key everywhere (.signusignore)…'), titles.join(' | '));
    assert.ok(!titles.some((t) => t.includes('on this line')), 'one allow mechanism, not a per-line comment');

    const replace = actions.find((a) => a.title === 'Replace the key with process.env.SIGNUS_API_KEY');
    assert.ok(replace?.edit);
    await vscode.workspace.applyEdit(replace.edit);
    assert.equal(doc.lineAt(1).text, 'const theirs = "Bearer " + process.env.SIGNUS_API_KEY;');
    await waitFor(
      'the warning to go',
      () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'signus').length === 1 || undefined,
    );
  });

  it('stores a found key in the list and replaces it (quick fix command)', async () => {
    const leaked = fakeKey('FAKE');
    const editor = await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument({ language: 'python', content: `API_KEY = "${leaked}"\n` }),
    );
    const found = await waitFor(
      'a warning in the python buffer',
      async () => (await api()).diagnostics.findingsFor(editor.document.uri)[0],
    );
    const outcome = await vscode.commands.executeCommand<{ name: string }>('signus.storeAndReplace', {
      uri: editor.document.uri.toString(),
      line: found.line,
      column: found.column,
      endColumn: found.endColumn,
      name: 'From python',
      accountId: '123e4567-e89b-12d3-a456-426614174000',
      environment: 'production',
      test: false,
    });
    assert.equal(outcome.name, 'From python');
    assert.equal(editor.document.lineAt(0).text, 'API_KEY = os.environ["SIGNUS_API_KEY"]');
    const { store } = await api();
    const record = store.findByName('From python');
    assert.ok(record);
    assert.equal(await store.secret(record.id), leaked);
    await vscode.commands.executeCommand('signus.deleteKey', { name: 'From python', confirm: true });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('scans the workspace into the Problems view', async () => {
    const file = join(workspaceRoot(), 'config', 'settings.yaml');
    mkdirSync(join(workspaceRoot(), 'config'), { recursive: true });
    writeFileSync(file, `signus:\n  key: ${own}\n`);
    const summary = await vscode.commands.executeCommand<{
      files: number;
      findings: number;
      filesWithFindings: string[];
    }>('signus.scanWorkspace');
    assert.ok(summary.files >= 2);
    assert.ok(summary.filesWithFindings.includes('config/settings.yaml'), summary.filesWithFindings.join(', '));
    const d = vscode.languages.getDiagnostics(vscode.Uri.file(file)).filter((x) => x.source === 'signus');
    assert.equal(d.length, 1);
    assert.equal(d[0]?.severity, vscode.DiagnosticSeverity.Error);
    rmSync(join(workspaceRoot(), 'config'), { recursive: true });
  });
});
