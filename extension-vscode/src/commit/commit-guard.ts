// Everything that happens around a commit: staged keys as problems as soon as a change holding one is staged,
// and one protection offer (the hook, the Commit-button check) per repository that uses Signus.
import * as vscode from 'vscode';
import { spokenMask } from '../keys/model.js';
import { hookStatus, loadIgnoreFile, scanStaged, type FileFinding } from '@signus/shared/node';
import { execFile } from 'node:child_process';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { knownKeysPath, type KnownKeys } from '../leaks/known-keys.js';
import { toDiagnostic, type LeakDiagnostics } from '../leaks/editor-scanner.js';
import type { Log } from '../log.js';
import { gitApi, type GitRepository } from './git-api.js';
import { bundledCli, installHook } from './hook.js';
import { setting } from '../config.js';
import { runCommand } from '../commands/errors.js';
import { COMMANDS } from '../contributes.js';
import { CONTEXT, setContext } from '../context-keys.js';
import {
  answerOf,
  answerStands,
  OFFER_ANSWERED_AT_KEY,
  OFFER_ANSWERS_KEY,
  offerButtons,
  offerMessage,
  type OfferAnswer,
} from './protection-offer.js';
import { signusDependency } from './signus-usage.js';
import { repoLabel } from './repo-label.js';
import { ProtectionStatus } from './protection-status.js';
import { STAGED_PREFIX, StagedCodeActions } from './staged-actions.js';

type Ask = (message: string, ...items: string[]) => Thenable<string | undefined>;

export class CommitGuard implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly warned = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The last staged scan per repository, for tests. */
  readonly lastStaged = new Map<string, FileFinding[]>();
  /**
   * Staged keys as problems, open file or not: they stay in the Problems view until unstaged, and VS Code's
   * Commit-button check (git.diagnosticsCommitHook), which reads diagnostics, sees files no editor has open.
   */
  readonly stagedProblems = vscode.languages.createDiagnosticCollection('signus-staged');
  private readonly stagedUris = new Map<string, string[]>();
  /** Repositories offered protection in this session (answered or not): at most one offer each. */
  readonly offered = new Set<string>();
  private readonly roots = new Set<string>();
  /** Why each repository is taken to use Signus. */
  private readonly users = new Map<string, string>();
  /** The status item: the hook installed and working, missing, or broken (doctor's checks). */
  readonly protection: ProtectionStatus;
  /** How the offer asks; tests answer it in place of a person. */
  ask: Ask = (message, ...items) => vscode.window.showInformationMessage(message, ...items);

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly known: KnownKeys,
    private readonly log: Log,
    private readonly editor: LeakDiagnostics,
  ) {
    this.protection = new ProtectionStatus(
      log,
      (root) => this.users.has(root) && this.offerAnswers()[root] !== 'never',
    );
    this.subscriptions.push(
      this.protection,
      this.stagedProblems,
      vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new StagedCodeActions(this), {
        providedCodeActionKinds: StagedCodeActions.kinds,
      }),
      // A key the open editor already marks is not listed twice; when its editor closes, the staged one returns.
      vscode.languages.onDidChangeDiagnostics((e) => {
        const changed = new Set(e.uris.map((u) => u.toString()));
        for (const root of this.lastStaged.keys())
          if ((this.lastStaged.get(root) ?? []).some((f) => changed.has(this.uriOf(root, f.path).toString())))
            this.publishStaged(root);
        // A key the editor or Scan Workspace found in a repository: it uses Signus.
        for (const uri of e.uris) {
          if (uri.scheme !== 'file') continue;
          const root = this.rootOf(uri.fsPath);
          if (
            root &&
            !this.offered.has(root) &&
            vscode.languages.getDiagnostics(uri).some((d) => d.source === 'signus')
          )
            void this.offerProtection(root, `${vscode.workspace.asRelativePath(uri, false)} holds a Signus API key`);
        }
      }),
    );
  }

  /** The watched repository holding a file (the innermost one). */
  private rootOf(path: string): string | undefined {
    let best: string | undefined;
    for (const root of this.roots) {
      const rel = relative(root, path);
      const inside = rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
      if (inside && (!best || root.length > best.length)) best = root;
    }
    return best;
  }

  /** The staged findings of a file, with its repository (for the quick fixes). */
  stagedIn(uri: vscode.Uri): { root: string; findings: FileFinding[] } | undefined {
    const root = uri.scheme === 'file' ? this.rootOf(uri.fsPath) : undefined;
    if (!root) return undefined;
    const path = relative(root, uri.fsPath).split(sep).join('/');
    const findings = (this.lastStaged.get(root) ?? []).filter((f) => f.path === path);
    return findings.length ? { root, findings } : undefined;
  }

  private uriOf(root: string, path: string): vscode.Uri {
    return vscode.Uri.file(join(root, path));
  }

  /** Sets the staged problems of one repository; unchanged files are left alone (no event loop). */
  private publishStaged(root: string): void {
    const want = new Map<string, vscode.Diagnostic[]>();
    for (const f of this.lastStaged.get(root) ?? []) {
      const uri = this.uriOf(root, f.path);
      if (this.editor.findingsFor(uri).some((e) => e.fingerprint === f.fingerprint)) continue;
      const d = toDiagnostic(f);
      d.message = `${STAGED_PREFIX}${f.message} Committing it leaks the key: unstage the file and read the key from an environment variable.`;
      want.set(uri.toString(), [...(want.get(uri.toString()) ?? []), d]);
    }
    for (const old of this.stagedUris.get(root) ?? [])
      if (!want.has(old)) this.stagedProblems.delete(vscode.Uri.parse(old));
    const shape = (ds: readonly vscode.Diagnostic[] | undefined) =>
      (ds ?? []).map((d) => `${d.range.start.line}:${d.range.start.character}:${d.message}`).join('\n');
    for (const [key, diagnostics] of want) {
      const uri = vscode.Uri.parse(key);
      if (shape(this.stagedProblems.get(uri)) !== shape(diagnostics)) this.stagedProblems.set(uri, diagnostics);
    }
    this.stagedUris.set(root, [...want.keys()]);
  }

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
      const status = await hookStatus(root);
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
    this.roots.add(root);
    this.subscriptions.push(repo.state.onDidChange(() => this.scheduleStagedScan(root)));
    this.scheduleStagedScan(root);
    void this.repairHook(root).then(async () => {
      // The status item and the walkthrough's "Keep keys out of git" step (a context key) follow doctor's checks.
      await this.protection.refresh(root);
      const manifest = await signusDependency(root);
      if (manifest) await this.offerProtection(root, `${manifest} declares a Signus package`);
      // Otherwise a key found in it (editor, Scan Workspace, a staged change) makes the offer.
    });
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics())
      if (uri.scheme === 'file' && this.rootOf(uri.fsPath) === root && diagnostics.some((d) => d.source === 'signus'))
        void this.offerProtection(root, `${vscode.workspace.asRelativePath(uri, false)} holds a Signus API key`);
  }

  /**
   * A hook installed by an earlier version of this extension names that version's folder, which VS Code
   * deletes on update; the hook then blocks every commit ("the leak guard's CLI is gone"). Such a hook is
   * re-installed with this version's CLI. A hook that runs any other CLI is left as it is. Read through the node
   * layer, not by starting the CLI: this runs for every repository the git extension opens.
   */
  async repairHook(root: string): Promise<boolean> {
    if (!vscode.workspace.isTrusted) return false;
    try {
      const status = await hookStatus(root);
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
      this.publishStaged(root);
      const fresh = findings.filter((f) => {
        const id = `${root}\0${f.path}\0${f.fingerprint}`;
        if (this.warned.has(id)) return false;
        this.warned.add(id);
        return true;
      });
      // One notification for what this scan found new, not one per finding: the Problems view holds them.
      // (The staged problems, as diagnostics, also make this repository's protection offer.)
      if (fresh.length > 0) void this.warn(root, fresh);
      return findings;
    } catch (error) {
      this.log.warn(
        `Could not scan the staged changes in ${root}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return [];
    }
  }

  private async warn(root: string, fresh: FileFinding[]): Promise<void> {
    const [finding] = fresh;
    if (!finding) return;
    for (const f of fresh)
      this.log.warn(
        `Staged change in ${f.path}:${f.line} holds ${f.knownKeyLabel ? `your key "${f.knownKeyLabel}"` : 'a Signus API key'} (${f.masked}).`,
      );
    const files = [...new Set(fresh.map((f) => f.path))];
    const whose = finding.knownKeyLabel ? `your key "${finding.knownKeyLabel}"` : 'a Signus API key';
    const message =
      fresh.length === 1
        ? `Signus: the staged change in ${finding.path} (line ${finding.line}) holds ${whose} (${spokenMask(finding.masked)}). Committing it leaks it; it stays in the Problems view until unstaged.`
        : `Signus: staged changes in ${files.length === 1 ? finding.path : `${files.length} files`} hold ${fresh.length} API keys. Committing them leaks them; they stay in the Problems view until unstaged.`;
    const choice = await vscode.window.showWarningMessage(
      message,
      files.length === 1 ? 'Unstage' : 'Unstage All',
      'Show Problems',
      ...(fresh.length === 1 ? ['Allow…'] : []),
    );
    if (choice === 'Unstage' || choice === 'Unstage All') for (const path of files) await unstage(root, path, this.log);
    if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    if (choice === 'Allow…') {
      // The one allow mechanism (asks first): the fingerprint in .signusignore, honoured by every surface.
      const allowed = await runCommand<boolean>(COMMANDS.allowKey, {
        uri: this.uriOf(root, finding.path).toString(),
        fingerprint: finding.fingerprint,
        masked: finding.masked,
        path: finding.path,
        ...(finding.knownKeyLabel !== undefined && { knownKeyLabel: finding.knownKeyLabel }),
      });
      if (allowed) this.log.info(`Allowed ${finding.masked} in ${finding.path} (fingerprint added to .signusignore).`);
    }
  }

  /** The answers given to the protection offer, by repository root. */
  offerAnswers(): Record<string, OfferAnswer> {
    return this.context.globalState.get<Record<string, OfferAnswer>>(OFFER_ANSWERS_KEY, {});
  }

  /**
   * The one protection offer for a repository that uses Signus (`reason` says how we know): the hook and the
   * Commit-button check in one notification, once per session, recorded only when answered ("Not Now" for a
   * week, then it comes back).
   */
  async offerProtection(root: string, reason: string): Promise<OfferAnswer | undefined> {
    if (!this.users.has(root)) {
      this.users.set(root, reason);
      this.protection.render();
    }
    if (this.offered.has(root)) return undefined;
    try {
      const git = vscode.workspace.getConfiguration('git');
      const buttons = offerButtons({
        trusted: vscode.workspace.isTrusted,
        usesSignus: true,
        answered: answerStands(
          this.offerAnswers()[root],
          this.context.globalState.get<Record<string, string>>(OFFER_ANSWERED_AT_KEY, {})[root],
          Date.now(),
        ),
        hookInstalled: vscode.workspace.isTrusted && (await hookStatus(root)).installed,
        commitCheckOn: git.get<boolean>('diagnosticsCommitHook.enabled') === true,
        offerHook: setting('commit.offerHook'),
        offerCheck: setting('commit.offerDiagnosticsHook'),
      });
      if (!buttons || this.offered.has(root)) return undefined;
      this.offered.add(root);
      const name = repoLabel(root);
      const answer = answerOf(await this.ask(offerMessage(name, reason, buttons), ...buttons));
      if (!answer) return undefined;
      // The time first: an answer read without its time would not stand.
      await this.context.globalState.update(OFFER_ANSWERED_AT_KEY, {
        ...this.context.globalState.get<Record<string, string>>(OFFER_ANSWERED_AT_KEY, {}),
        [root]: new Date().toISOString(),
      });
      await this.context.globalState.update(OFFER_ANSWERS_KEY, { ...this.offerAnswers(), [root]: answer });
      if (answer === 'never') this.protection.render();
      if (answer === 'hook')
        // A refusal (Husky, a shared hooks folder) says what to add instead: show it, not only log it.
        await Promise.resolve(runCommand(COMMANDS.installHook, { repo: root })).catch((error: unknown) => {
          void vscode.window.showErrorMessage(`Signus: ${error instanceof Error ? error.message : String(error)}`);
        });
      // The command asks where (user settings or this workspace); closing that changes nothing.
      if (answer === 'check') await runCommand(COMMANDS.enableCommitCheck);
      return answer;
    } catch (error) {
      this.log.warn(`Protection offer for ${root}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
  }
}

export type CommitCheckTarget = 'user' | 'workspace';

/**
 * Turns on VS Code's own pre-commit check of diagnostics with ours counted at warning level, in the user's
 * settings unless the workspace is chosen (which writes the folder's .vscode/settings.json). Of
 * `git.diagnosticsCommitHook.sources` only our entry is added; the others stay as they were at that level.
 */
export async function enableCommitCheck(log: Log, target: CommitCheckTarget): Promise<void> {
  if (!vscode.workspace.isTrusted) throw new Error("Turning on VS Code's commit check needs a trusted workspace.");
  const scope = target === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  if (target === 'workspace' && !vscode.workspace.workspaceFolders?.length)
    throw new Error('Open a folder first: the workspace choice writes its .vscode/settings.json.');
  const git = vscode.workspace.getConfiguration('git');
  const at = <T>(key: string) => {
    const i = git.inspect<T>(key);
    return target === 'workspace' ? i?.workspaceValue : i?.globalValue;
  };
  if (at<boolean>('diagnosticsCommitHook.enabled') !== true)
    await git.update('diagnosticsCommitHook.enabled', true, scope);
  const sources =
    at<Record<string, string>>('diagnosticsCommitHook.sources') ??
    git.inspect<Record<string, string>>('diagnosticsCommitHook.sources')?.defaultValue ??
    {};
  if (sources.signus !== 'warning')
    await git.update('diagnosticsCommitHook.sources', { ...sources, signus: 'warning' }, scope);
  log.info(
    `Turned on git.diagnosticsCommitHook in ${target === 'workspace' ? 'this workspace' : 'user settings'} (signus findings at warning level and above).`,
  );
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
  setContext(CONTEXT.hookInstalled, true);
  void vscode.window.showInformationMessage(
    `Signus: pre-commit hook installed in ${done.length === 1 ? repoLabel(done[0] ?? '') : `${done.length} repositories`}. Commits that add an API key are blocked, from VS Code and the terminal.`,
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
