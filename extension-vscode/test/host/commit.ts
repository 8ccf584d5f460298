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
    await assert.rejects(run('signus.installHook', { repo: 42 }), /"repo" must be a folder path/);
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

  it('the installed hook blocks the commit from a terminal, and names the stored key', () => {
    const commit = git('commit', '-m', 'add config');
    assert.notEqual(commit.status, 0, 'the commit is refused');
    const output = `${commit.stdout}${commit.stderr}`;
    assert.match(output, /secret\.ts/);
    assert.ok(!output.includes(own), 'the hook never prints the key');
    assert.match(output, /Commit fixture/, 'the hook recognises the key through the known-keys file');
    assert.equal(git('rev-list', '--count', 'HEAD').stdout.trim(), '1', 'nothing was committed');
    git('reset', '-q');
    writeFileSync(join(root, 'secret.ts'), 'export const key = process.env.SIGNUS_API_KEY;\n');
    git('add', 'secret.ts');
    const clean = git('commit', '-m', 'read the key from the environment');
    assert.equal(clean.status, 0, clean.stderr);
  });

  it('turns on git.diagnosticsCommitHook for the workspace, with signus findings counted', async () => {
    assert.equal(await vscode.commands.executeCommand('signus.enableCommitCheck', { confirm: true }), true);
    const config = vscode.workspace.getConfiguration('git');
    assert.equal(config.inspect('diagnosticsCommitHook.enabled')?.workspaceValue, true);
    assert.deepEqual(config.inspect<Record<string, string>>('diagnosticsCommitHook.sources')?.workspaceValue, {
      '*': 'error',
      signus: 'warning',
    });
    assert.ok(existsSync(join(root, '.vscode', 'settings.json')));
  });
});
