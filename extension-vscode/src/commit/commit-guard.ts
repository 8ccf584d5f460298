// Everything that happens around a commit: the hook offer (once per repository), warnings as soon as
// a staged change holds a key, and the offer to let VS Code's commit button check diagnostics.
import * as vscode from 'vscode';
import { loadIgnoreFile, scanStaged, type FileFinding } from '@signus/shared/node';
import { execFile } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { knownKeysPath, type KnownKeys } from '../leaks/known-keys.js';
import type { Log } from '../log.js';
import { gitApi, type GitRepository } from './git-api.js';
import { bundledCli, hookStatus, installHook } from './hook.js';
import { setting } from '../config.js';
import { runCommand } from '../commands/errors.js';
import { COMMANDS } from '../contributes.js';

const OFFERED_HOOK = 'signus.hookOffered';
const OFFERED_COMMIT_CHECK = 'signus.commitCheckOffered';

export class CommitGuard implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly warned = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The last staged scan per repository, for tests. */
  readonly lastStaged = new Map<string, FileFinding[]>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly known: KnownKeys,
    private readonly log: Log,
  ) {}

  async start(): Promise<void> {
    const git = await gitApi();
    if (!git) {
      this.log.info('The git extension is not available: no staged-change warnings.');
      return;
    }
    for (const repo of git.repositories) this.watch(repo);
    this.subscriptions.push(
      git.onDidOpenRepository((repo) => this.watch(repo)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('signus.knownKeys.path'))
          for (const repo of git.repositories) void this.followKnownKeysPath(repo.rootUri.fsPath);
      }),
    );
  }

  /** Our hook names the known-keys file it reads: when the setting moves the file, the hook follows. */
  async followKnownKeysPath(root: string): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    try {
      const status = await hookStatus(this.context, root);
      if (!status.installed || status.cli !== bundledCli(this.context)) return;
      if (status.knownKeys === (await knownKeysPath())) return;
      await installHook(this.context, root, this.log);
    } catch (error) {
      this.log.warn(
        `Could not update the pre-commit hook of ${root}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private watch(repo: GitRepository): void {
    const root = repo.rootUri.fsPath;
    this.subscriptions.push(repo.state.onDidChange(() => this.scheduleStagedScan(root)));
    this.scheduleStagedScan(root);
    void this.repairHook(root).then((repaired) => (repaired ? undefined : this.offerHook(root)));
    void this.offerCommitCheck();
  }

  /**
   * A hook installed by an earlier version of this extension names that version's folder, which VS Code
   * deletes on update; the hook then blocks every commit ("the leak guard's CLI is gone"). Such a hook is
   * re-installed with this version's CLI. A hook that runs any other CLI is left as it is.
   */
  async repairHook(root: string): Promise<boolean> {
    if (!vscode.workspace.isTrusted) return false;
    try {
      const status = await hookStatus(this.context, root);
      if (!status.installed || status.runnable || !status.cli || status.cli === bundledCli(this.context)) return false;
      const oldExtension = dirname(dirname(dirname(status.cli)));
      const ours =
        basename(status.cli) === 'signus.mjs' &&
        dirname(oldExtension) === dirname(this.context.extensionPath) &&
        basename(oldExtension).toLowerCase().startsWith(`${this.context.extension.id.toLowerCase()}-`);
      if (!ours) return false;
      await installHook(this.context, root, this.log);
      this.log.info(`Re-installed the pre-commit hook in ${root}: it named a removed version of this extension.`);
      return true;
    } catch (error) {
      this.log.warn(
        `Could not check the pre-commit hook of ${root}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
  }

  private scheduleStagedScan(root: string): void {
    if (!setting('commit.watchStaged')) return;
    clearTimeout(this.timers.get(root));
    this.timers.set(
      root,
      setTimeout(() => void this.scanStaged(root), 300),
    );
  }

  async scanStaged(root: string): Promise<FileFinding[]> {
    try {
      const ignore = loadIgnoreFile(root);
      const { findings } = await scanStaged(root, { knownKeys: await this.known.current(), ignore });
      this.lastStaged.set(root, findings);
      for (const finding of findings) {
        const id = `${root}\0${finding.path}\0${finding.fingerprint}`;
        if (this.warned.has(id)) continue;
        this.warned.add(id);
        void this.warn(root, finding);
      }
      return findings;
    } catch (error) {
      this.log.warn(
        `Could not scan the staged changes in ${root}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return [];
    }
  }

  private async warn(root: string, finding: FileFinding): Promise<void> {
    const whose = finding.knownKeyLabel ? `your key "${finding.knownKeyLabel}"` : 'a Signus API key';
    this.log.warn(`Staged change in ${finding.path}:${finding.line} holds ${whose} (${finding.masked}).`);
    const choice = await vscode.window.showWarningMessage(
      `Signus: the staged change in ${finding.path} (line ${finding.line}) holds ${whose} (${finding.masked}). Committing it leaks it.`,
      'Unstage',
      'Open',
      'Allow',
    );
    const file = vscode.Uri.file(join(root, finding.path));
    if (choice === 'Unstage') await unstage(root, finding.path, this.log);
    if (choice === 'Open') {
      const editor = await vscode.window.showTextDocument(file);
      const pos = new vscode.Position(finding.line - 1, finding.column - 1);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos));
    }
    if (choice === 'Allow') {
      // The one allow mechanism (asks first): the fingerprint in .signusignore, honoured by every surface.
      const allowed = await runCommand<boolean>(COMMANDS.allowKey, {
        uri: file.toString(),
        fingerprint: finding.fingerprint,
        masked: finding.masked,
        path: finding.path,
        ...(finding.knownKeyLabel !== undefined && { knownKeyLabel: finding.knownKeyLabel }),
      });
      if (allowed) this.log.info(`Allowed ${finding.masked} in ${finding.path} (fingerprint added to .signusignore).`);
    }
  }

  private async offerHook(root: string): Promise<void> {
    if (!setting('commit.offerHook')) return;
    if (!vscode.workspace.isTrusted) return;
    const offered = this.context.globalState.get<string[]>(OFFERED_HOOK, []);
    if (offered.includes(root)) return;
    try {
      const status = await hookStatus(this.context, root);
      if (status.installed) return;
      await this.context.globalState.update(OFFERED_HOOK, [...offered, root]);
      const name = vscode.workspace.asRelativePath(root) || root;
      const choice = await vscode.window.showInformationMessage(
        `Signus: install a pre-commit hook in ${name} that blocks commits adding an API key? It works for commits from the terminal too.`,
        'Install Hook',
        'Not Now',
      );
      if (choice !== 'Install Hook') return;
      // A refusal (Husky, a shared hooks folder) says what to add instead: show it, not only log it.
      await Promise.resolve(runCommand(COMMANDS.installHook, { repo: root })).catch((error: unknown) => {
        void vscode.window.showErrorMessage(`Signus: ${error instanceof Error ? error.message : String(error)}`);
      });
    } catch (error) {
      this.log.warn(`Hook status of ${root}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async offerCommitCheck(): Promise<void> {
    if (!setting('commit.offerDiagnosticsHook')) return;
    if (this.context.workspaceState.get<boolean>(OFFERED_COMMIT_CHECK)) return;
    if (vscode.workspace.getConfiguration('git').get<boolean>('diagnosticsCommitHook.enabled')) return;
    await this.context.workspaceState.update(OFFERED_COMMIT_CHECK, true);
    const choice = await vscode.window.showInformationMessage(
      'Signus: let the Commit button check for leaked keys in staged files first (git.diagnosticsCommitHook)?',
      'Turn On for This Workspace',
      'Not Now',
    );
    if (choice)
      await runCommand(COMMANDS.enableCommitCheck, {
        confirm: choice === 'Turn On for This Workspace',
      });
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Turns on VS Code's own pre-commit check of diagnostics, with ours counted at warning level. */
export async function enableCommitCheck(log: Log): Promise<void> {
  // It writes the folder's .vscode/settings.json.
  if (!vscode.workspace.isTrusted) throw new Error("Turning on VS Code's commit check needs a trusted workspace.");
  const git = vscode.workspace.getConfiguration('git');
  await git.update('diagnosticsCommitHook.enabled', true, vscode.ConfigurationTarget.Workspace);
  const sources = {
    ...(git.get<Record<string, string>>('diagnosticsCommitHook.sources') ?? { '*': 'error' }),
    signus: 'warning',
  };
  await git.update('diagnosticsCommitHook.sources', sources, vscode.ConfigurationTarget.Workspace);
  log.info('Turned on git.diagnosticsCommitHook for this workspace (signus findings at warning level and above).');
}

export async function installHookCommand(context: vscode.ExtensionContext, log: Log, arg?: unknown): Promise<string[]> {
  const given = typeof arg === 'object' && arg !== null ? (arg as { repo?: unknown }).repo : undefined;
  if (given !== undefined && typeof given !== 'string') throw new Error('"repo" must be a folder path.');
  if (!vscode.workspace.isTrusted) throw new Error('Installing a git hook needs a trusted workspace.');
  let repos: string[];
  if (given) repos = [given];
  else {
    const git = await gitApi();
    repos = git?.repositories.map((r) => r.rootUri.fsPath) ?? [];
    if (repos.length === 0) throw new Error('No git repository is open in this workspace.');
  }
  const done: string[] = [];
  for (const repo of repos) {
    await installHook(context, repo, log);
    done.push(repo);
  }
  void vscode.window.showInformationMessage(
    `Signus: pre-commit hook installed in ${done.length === 1 ? vscode.workspace.asRelativePath(done[0] ?? '') || done[0] : `${done.length} repositories`}. Commits that add an API key are blocked, from VS Code and the terminal.`,
  );
  return done;
}

function gitRun(args: string[], cwd: string): Promise<boolean> {
  return new Promise((resolve) => execFile('git', args, { cwd }, (error) => resolve(!error)));
}

/** `git restore --staged` needs a HEAD; before the first commit, `git rm --cached` does the same job. */
export async function unstage(root: string, path: string, log: Log): Promise<boolean> {
  const ok =
    (await gitRun(['restore', '--staged', '--', path], root)) ||
    (await gitRun(['rm', '--cached', '-q', '--', path], root));
  if (ok) log.info(`Unstaged ${path}.`);
  else void vscode.window.showErrorMessage(`Signus: could not unstage ${path}; unstage it in the Source Control view.`);
  return ok;
}
