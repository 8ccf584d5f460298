import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension.js';

export const EXTENSION_ID = 'signus.signus-vscode';

export async function api(): Promise<TestApi> {
  const extension = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  const exports = extension.isActive ? extension.exports : await extension.activate();
  assert.ok(exports, 'the extension returns its test API in test mode');
  return exports;
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the host tests run with a workspace folder');
  return folder.uri.fsPath;
}

/** Every file under `dir` (skipping huge ones) whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(d, name);
      let st;
      try {
        st = statSync(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(path);
      else if (st.isFile() && st.size < 50_000_000 && readFileSync(path).includes(needle)) hits.push(path);
    }
  };
  walk(dir);
  return hits;
}

/** Adds a key through the command, as code would, without a test round-trip unless asked. */
export async function addKey(
  args: Record<string, unknown>,
): Promise<{ id: string; name: string; tested?: string } | undefined> {
  return vscode.commands.executeCommand('signus.addKey', args);
}

export async function clearKeys(): Promise<void> {
  const { store } = await api();
  for (const k of store.list()) await vscode.commands.executeCommand('signus.deleteKey', { id: k.id, confirm: true });
}

/** executeCommand as a real Promise (assert.rejects wants one). */
export function run<T = unknown>(command: string, ...args: unknown[]): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(command, ...args));
}

/** The text a step of a multi-step input shows: title, prompt or placeholder, and its items. */
function stepText(input: vscode.QuickInput): string {
  const i = input as Partial<vscode.InputBox & vscode.QuickPick<vscode.QuickPickItem>>;
  return [i.title, i.prompt, i.placeholder, ...(i.items ?? []).map((item) => item.label)].join('\n');
}

/** Waits for the step that shows `text` (a prompt or a placeholder) and returns it. */
export async function stepShowing(text: string): Promise<vscode.QuickInput> {
  const { stepInput } = await api();
  return waitFor(`a step showing "${text}"`, () => {
    const input = stepInput();
    return input && stepText(input).includes(text) ? input : undefined;
  });
}

/** Answers the step showing `text` as a person would: types into an input box, or moves to an item, then Enter. */
export async function answerStep(text: string, answer: string): Promise<vscode.QuickInput> {
  const input = await stepShowing(text);
  if ('items' in input) {
    const pick = input as vscode.QuickPick<vscode.QuickPickItem>;
    const item = pick.items.find((i) => i.label.includes(answer));
    assert.ok(item, `no item "${answer}" in ${pick.items.map((i) => i.label).join(', ')}`);
    pick.activeItems = [item];
  } else {
    (input as vscode.InputBox).value = answer;
  }
  // The workbench gets the value before Enter (the extension host batches its updates to the quick input).
  await new Promise((r) => setTimeout(r, 200));
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await leaves(input);
  return input;
}

/** Until the step is replaced by the next (or the flow ended). */
async function leaves(input: vscode.QuickInput): Promise<void> {
  const { stepInput } = await api();
  await waitFor('the step to be answered', () => stepInput() !== input || undefined);
}

/** The Back button of the step on screen (the workbench's own command, as Alt+Left would). */
export async function stepBack(text: string): Promise<void> {
  const input = await stepShowing(text);
  await vscode.commands.executeCommand('workbench.action.quickInputBack');
  await leaves(input);
}

/** Escape on the step on screen. */
export async function stepEscape(text: string): Promise<void> {
  const input = await stepShowing(text);
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  await leaves(input);
}

/** Enter on the step showing `text`, as it is (e.g. a list of files, all ticked). */
export async function stepAccept(text: string): Promise<vscode.QuickInput> {
  const input = await stepShowing(text);
  await new Promise((r) => setTimeout(r, 200));
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await leaves(input);
  return input;
}

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
