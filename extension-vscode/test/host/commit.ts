import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { addKey, api, run, waitFor, workspaceRoot } from './helpers.js';

describe('at commit', () => {
  const own = `sk_TEST_${randomBytes(18).toString('hex')}`;
  let root: string;
  const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });

  before(async () => {
    root = workspaceRoot();
    await addKey({
      name: 'Commit fixture',
      secret: own,
      accountId: '123e4567-e89b-12d3-a456-426614174000',
      environment: 'production',
      test: false,
    });
  });

  after(async () => {
    git('reset', '-q');
    rmSync(join(root, 'secret.ts'), { force: true });
    await vscode.commands.executeCommand('signus.deleteKey', { name: 'Commit fixture', confirm: true });
  });

  it('installs the pre-commit hook with the CLI bundled in the extension', async () => {
    const done = await vscode.commands.executeCommand<string[]>('signus.installHook', { repo: root });
    assert.deepEqual(done, [root]);
    const hook = readFileSync(join(root, '.git', 'hooks', 'pre-commit'), 'utf8');
    const extension = vscode.extensions.getExtension('signus.signus-vscode');
    assert.ok(extension);
    assert.ok(
      hook.includes(join(extension.extensionPath, 'dist', 'cli', 'signus.mjs')),
      'the hook runs the bundled CLI',
    );
    assert.ok(
      existsSync(join(extension.extensionPath, 'dist', 'cli', 'signus-hook.cjs')),
      "the hook's own small entry ships beside the bundled CLI",
    );
    await assert.rejects(run('signus.installHook', { repo: 42 }), /"repo" must be a folder path/);
    assert.equal((await api()).contextValues.get('signus.hookInstalled'), true, 'the walkthrough step is done');
  });

  it('re-installs a hook that names a removed earlier version of the extension', async () => {
    const extension = vscode.extensions.getExtension('signus.signus-vscode');
    assert.ok(extension);
    const bundled = join(extension.extensionPath, 'dist', 'cli', 'signus.mjs');
    // An older version's folder beside this one, as VS Code lays out installed extensions.
    const old = join(dirname(extension.extensionPath), 'signus.signus-vscode-0.0.1');
    const oldCli = join(old, 'dist', 'cli', 'signus.mjs');
    mkdirSync(dirname(oldCli), { recursive: true });
    copyFileSync(bundled, oldCli);
    execFileSync(process.execPath, [oldCli, 'hook', 'install', '--repo', root], { encoding: 'utf8' });
    rmSync(old, { recursive: true, force: true });
    const hookFile = join(root, '.git', 'hooks', 'pre-commit');
    assert.ok(readFileSync(hookFile, 'utf8').includes(oldCli), 'the hook names the old version');

    const { commitGuard } = await api();
    const guard = await waitFor('the commit guard', () => commitGuard(), 10_000);
    assert.equal(await guard.repairHook(root), true);
    const hook = readFileSync(hookFile, 'utf8');
    assert.ok(hook.includes(bundled), 'the hook now runs this version');
    assert.ok(!hook.includes(oldCli));
    assert.equal(await guard.repairHook(root), false, 'a working hook is left alone');
  });

  it('warns as soon as a staged change holds a key (via the git extension)', async () => {
    writeFileSync(join(root, 'secret.ts'), `export const key = '${own}';\n`);
    execFileSync('git', ['add', 'secret.ts'], { cwd: root });
    const { commitGuard } = await api();
    const findings = await waitFor(
      'the staged-change warning',
      () => {
        const f = commitGuard()?.lastStaged.get(root);
        return f && f.length > 0 ? f : undefined;
      },
      20_000,
    );
    assert.equal(findings[0]?.path, 'secret.ts');
    assert.equal(findings[0]?.knownKeyLabel, 'Commit fixture', "recognised as the user's own key");
  });

  it('puts a staged key in the Problems view for a file no editor has open (what the Commit-button check reads)', async () => {
    const uri = vscode.Uri.file(join(root, 'secret.ts'));
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the file is not open');
    const problem = await waitFor('the staged problem', () =>
      vscode.languages
        .getDiagnostics(uri)
        .find((d) => d.source === 'signus' && d.message.startsWith('Staged for commit')),
    );
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(problem.range.start.line, 0);
    assert.ok(!problem.message.includes(own));
  });

  it('a commit from the Source Control view is refused with the key name, the file and the remedy on its first line', async () => {
    type Repo = { rootUri: vscode.Uri; commit(message: string): Promise<void> };
    const gitExtension = vscode.extensions.getExtension<{ getAPI(v: 1): { repositories: Repo[] } }>('vscode.git');
    assert.ok(gitExtension);
    const repo = gitExtension.exports.getAPI(1).repositories.find((r) => r.rootUri.fsPath === root);
    assert.ok(repo);
    const error = await repo.commit('add config').then(
      () => assert.fail('the commit went through'),
      (e: unknown) => e as { stderr?: string },
    );
    // VS Code shows "Git: " and the first non-empty line of git's error output; nothing else.
    const first = (error.stderr ?? '').split(/[\r\n]/).find((l) => l.trim() !== '') ?? '';
    assert.match(first, /secret\.ts:1/);
    assert.match(first, /your key "Commit fixture"/);
    assert.match(first, /environment variable/);
    assert.ok(!(error.stderr ?? '').includes(own));
  });

  it('the installed hook blocks the commit from a terminal, and names the stored key', async () => {
    const commit = git('commit', '-m', 'add config');
    assert.notEqual(commit.status, 0, 'the commit is refused');
    const output = `${commit.stdout}${commit.stderr}`;
    assert.match(output, /secret\.ts/);
    assert.ok(!output.includes(own), 'the hook never prints the key');
    assert.match(output, /Commit fixture/, 'the hook recognises the key through the known-keys file');
    assert.equal(git('rev-list', '--count', 'HEAD').stdout.trim(), '1', 'nothing was committed');
    git('reset', '-q');
    const uri = vscode.Uri.file(join(root, 'secret.ts'));
    await waitFor(
      'the staged problem to go once unstaged',
      () => vscode.languages.getDiagnostics(uri).every((d) => !d.message.startsWith('Staged for commit')) || undefined,
    );
    writeFileSync(join(root, 'secret.ts'), 'export const key = process.env.SIGNUS_API_KEY;\n');
    git('add', 'secret.ts');
    const clean = git('commit', '-m', 'read the key from the environment');
    assert.equal(clean.status, 0, clean.stderr);
  });

  it('turns on the Commit-button check in user settings, changing only our source, and no repository file', async () => {
    const settingsFile = join(root, '.vscode', 'settings.json');
    const before = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : undefined;
    const config = () => vscode.workspace.getConfiguration('git');
    await config().update('diagnosticsCommitHook.sources', { eslint: 'error' }, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(await run('signus.enableCommitCheck', { confirm: true }), true);
      assert.equal(config().inspect('diagnosticsCommitHook.enabled')?.globalValue, true);
      assert.deepEqual(config().inspect('diagnosticsCommitHook.sources')?.globalValue, {
        eslint: 'error',
        signus: 'warning',
      });
      assert.equal(config().inspect('diagnosticsCommitHook.enabled')?.workspaceValue, undefined);
      assert.equal(existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : undefined, before);

      assert.equal(await run('signus.enableCommitCheck', { confirm: true, target: 'workspace' }), true);
      assert.equal(config().inspect('diagnosticsCommitHook.enabled')?.workspaceValue, true);
      assert.deepEqual(config().inspect<Record<string, string>>('diagnosticsCommitHook.sources')?.workspaceValue, {
        '*': 'error',
        signus: 'warning',
      });
      await assert.rejects(run('signus.enableCommitCheck', { confirm: true, target: 'repo' }), /"target"/);
    } finally {
      await config().update('diagnosticsCommitHook.sources', undefined, vscode.ConfigurationTarget.Global);
      await config().update('diagnosticsCommitHook.enabled', undefined, vscode.ConfigurationTarget.Global);
      await config().update('diagnosticsCommitHook.sources', undefined, vscode.ConfigurationTarget.Workspace);
      await config().update('diagnosticsCommitHook.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
