import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor, workspaceRoot } from './helpers.js';

type GitApi = { openRepository(root: vscode.Uri): Promise<unknown> };

/**
 * A real temporary git repository with one commit (`files` committed in it), inside the workspace folder:
 * the git extension opens a repository outside the workspace only when the user asks.
 */
export function tempRepo(prefix: string, files: Record<string, string> = {}): string {
  const root = realpathSync(mkdtempSync(join(workspaceRoot(), prefix)));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'host-test@example.invalid');
  git('config', 'user.name', 'Host Test');
  writeFileSync(join(root, 'README.md'), '# temp\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  git('add', '.');
  git('commit', '-q', '-m', 'initial');
  return root;
}

export async function openInGit(root: string): Promise<void> {
  const extension = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
  assert.ok(extension);
  const exports = extension.isActive ? extension.exports : await extension.activate();
  await exports.getAPI(1).openRepository(vscode.Uri.file(root));
}

describe('the protection offer', () => {
  const repos: string[] = [];
  const asked: { root: string; message: string; buttons: string[] }[] = [];
  let answer: string | undefined;

  after(() => {
    for (const r of repos) rmSync(r, { recursive: true, force: true });
  });

  it('comes once, combined, for a repository with a Signus dependency, and is recorded only when answered', async () => {
    const guard = await waitFor('the commit guard', async () => (await api()).commitGuard(), 10_000);
    guard.ask = (message, ...buttons) => {
      const root = repos.find((r) => message.includes(vscode.workspace.asRelativePath(r) || r));
      if (root) asked.push({ root, message, buttons });
      return Promise.resolve(answer);
    };
    const plain = tempRepo('signus-plain-');
    const uses = tempRepo('signus-uses-', { 'package.json': '{"dependencies": {"@signus/sdk": "1.0.0"}}\n' });
    repos.push(plain, uses);
    answer = undefined; // closed without an answer
    await openInGit(plain);
    await openInGit(uses);
    const offer = await waitFor('the offer for the Signus repository', () => asked.find((a) => a.root === uses));
    assert.deepEqual(offer.buttons, [
      'Install Pre-commit Hook',
      'Turn On Commit-button Check',
      'Not Now',
      'Never for This Repository',
    ]);
    assert.match(offer.message, /package\.json declares a Signus package/);
    // The plain repository was watched (its staged changes scanned) and got no offer.
    await waitFor('the plain repository to be watched', () => guard.lastStaged.has(plain) || undefined);
    assert.equal(
      asked.filter((a) => a.root === plain).length,
      0,
      'no offer where Signus is not used (no key, no dependency)',
    );
    assert.equal(guard.offerAnswers()[uses], undefined, 'closing the notification records nothing');
    assert.equal(await guard.offerProtection(uses, 'again'), undefined);
    assert.equal(asked.filter((a) => a.root === uses).length, 1, 'once per session');

    // A later session asks again, because nothing was answered; "Never" is then kept.
    guard.offered.clear();
    answer = 'Never for This Repository';
    assert.equal(await guard.offerProtection(uses, 'package.json declares a Signus package'), 'never');
    assert.equal(asked.filter((a) => a.root === uses).length, 2);
    assert.equal(guard.offerAnswers()[uses], 'never');
    guard.offered.clear();
    assert.equal(await guard.offerProtection(uses, 'package.json declares a Signus package'), undefined);
    assert.equal(asked.filter((a) => a.root === uses).length, 2, 'an answered offer does not come back');
  });

  it('comes for a repository once a key is found in it (a staged change)', async () => {
    const plain = repos[0]!;
    answer = 'Not Now';
    const key = `sk_TEST_${randomBytes(18).toString('hex')}`;
    writeFileSync(join(plain, 'config.ts'), `export const key = '${key}';\n`);
    execFileSync('git', ['add', 'config.ts'], { cwd: plain });
    const offer = await waitFor('the offer once a key is staged', () => asked.find((a) => a.root === plain), 20_000);
    assert.match(offer.message, /config\.ts holds a Signus API key/);
    assert.ok(!offer.message.includes(key));
    const guard = (await api()).commitGuard();
    await waitFor('the answer to be recorded', () => guard?.offerAnswers()[plain] === 'notNow' || undefined);
  });
});
