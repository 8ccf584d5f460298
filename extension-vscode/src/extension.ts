// Activation registers and returns: anything that costs time (fingerprints, git, scanning) starts later.
import * as vscode from 'vscode';
import { registerCommand, UserError } from './commands/errors.js';
import { COMMANDS } from './contributes.js';
import { currentStepInput } from './commands/step-inputs.js';
import { scriptModals } from './commands/modal.js';
import type { CommitGuard } from './commit/commit-guard.js';
import type { AddKeyArgs } from './commands/add-key.js';
import type { KeyTestPanel } from './panel/key-test-panel.js';
import { KeyStore } from './keys/store.js';
import { createKeyView, KeyTreeProvider, setGrouping } from './keys/tree.js';
import { LeakCodeActions, LeakHover } from './leaks/code-actions.js';
import { AllowList } from './leaks/allow.js';
import { LeakDiagnostics } from './leaks/editor-scanner.js';
import { KnownKeys } from './leaks/known-keys.js';
import { Log } from './log.js';
import { LaunchEnvironment } from './launch/launch-environment.js';
import { clipboardGuard } from './clipboard.js';
import type { Services } from './services.js';
import { ActiveKeyStatus } from './status-bar.js';
import { TerminalEnvironment } from './terminal-env.js';
import { contextValues, trackKeyContext } from './context-keys.js';

/** Handed to tests only (ExtensionMode.Test): other extensions must not reach the key store. */
export interface TestApi {
  store: KeyStore;
  diagnostics: LeakDiagnostics;
  known: KnownKeys;
  allowList: AllowList;
  /** Created shortly after activation. */
  commitGuard: () => CommitGuard | undefined;
  status: ActiveKeyStatus;
  panel: () => KeyTestPanel | undefined;
  terminal: TerminalEnvironment;
  launch: LaunchEnvironment;
  /** For the test that no secret reaches extension state or the terminal collection's persistence. */
  globalState: vscode.Memento;
  environment: vscode.GlobalEnvironmentVariableCollection;
  activatedInMs: number;
  /** The context keys this extension set (the walkthrough ticks on them). */
  contextValues: ReadonlyMap<string, unknown>;
  /** The page Delete and Rotate would open, without opening it. */
  developerSettingsUrl: () => string;
  /** The step of a multi-step input (Add, Rotate) on screen. */
  stepInput: () => vscode.QuickInput | undefined;
  tree: KeyTreeProvider;
  /** Answers the next production-key modals (which the extension host cannot click). */
  scriptModals: typeof scriptModals;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const started = performance.now();
  const log = new Log();
  // Command modules (and the panel, git, the node layer) load when first used, not with the extension: what
  // the bundle runs at load is what activation needs. `loaded` keeps them for the test API's synchronous reads.
  const loaded: {
    keyActions?: typeof import('./commands/key-actions.js');
    panel?: typeof import('./panel/key-test-panel.js');
  } = {};
  const keyActions = async () => (loaded.keyActions ??= await import('./commands/key-actions.js'));
  const rescan = async () => (await import('./leaks/workspace-scan.js')).rescanWorkspace(diagnostics, known, log);
  const store = new KeyStore(context.secrets, context.globalState, log);
  const services: Services = { context, store, log };
  const known = new KnownKeys(store, log);
  const diagnostics = new LeakDiagnostics(known, log);
  const allowList = new AllowList(known);
  // What is reported depends on the keys and on what is allowed: both refresh the editor and Scan Workspace.
  const refresh = () => {
    diagnostics.rescanVisible();
    void rescan();
  };
  const allowFiles = vscode.workspace.createFileSystemWatcher('**/{.signusignore,.signus-baseline.json}');
  // Git, hooks and child processes load only when first needed: activation stays registration only.
  const commitModule = () => import('./commit/commit-guard.js');
  let commitGuard: CommitGuard | undefined;
  const tree = new KeyTreeProvider(store);
  const status = new ActiveKeyStatus(store);
  const terminal = new TerminalEnvironment(context.environmentVariableCollection, store, log);
  const launch = new LaunchEnvironment(store, log);
  const selector: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];
  const add = async (args?: AddKeyArgs) => (await import('./commands/add-key.js')).addKey(services, args);

  context.subscriptions.push(
    log,
    clipboardGuard(log),
    store,
    known,
    diagnostics,
    allowList,
    allowFiles,
    allowFiles.onDidChange(refresh),
    allowFiles.onDidCreate(refresh),
    allowFiles.onDidDelete(refresh),
    allowList.onDidChange(refresh),
    known.onDidChange(() => void rescan()),
    { dispose: () => commitGuard?.dispose() },
    tree,
    status,
    trackKeyContext(store),
    terminal,
    createKeyView(tree),
    vscode.languages.registerCodeActionsProvider(selector, new LeakCodeActions(diagnostics), {
      providedCodeActionKinds: LeakCodeActions.kinds,
    }),
    vscode.languages.registerHoverProvider(selector, new LeakHover(diagnostics)),
    registerCommand(COMMANDS.addKey, log, (a) => add(a as AddKeyArgs | undefined)),
    registerCommand(COMMANDS.testKey, log, async (a) => (await keyActions()).testKey(services, a)),
    registerCommand(COMMANDS.copySecret, log, async (a) => (await keyActions()).copySecret(services, a)),
    registerCommand(COMMANDS.copyEnvLine, log, async (a) => (await keyActions()).copyEnvLine(services, a)),
    registerCommand(COMMANDS.renameKey, log, async (a) => (await keyActions()).renameKey(services, a)),
    registerCommand(COMMANDS.setActiveKey, log, async (a) => (await keyActions()).setActiveKey(services, a)),
    registerCommand(COMMANDS.switchActiveKey, log, async (a) => (await keyActions()).setActiveKey(services, a)),
    registerCommand(COMMANDS.deleteKey, log, async (a) => (await keyActions()).deleteKey(services, a)),
    registerCommand(COMMANDS.rotateKey, log, async (a) =>
      (await import('./commands/rotate.js')).rotateKey(services, a),
    ),
    registerCommand(COMMANDS.verifyRevoked, log, async (a) =>
      (await import('./commands/rotate.js')).verifyRevoked(services, a),
    ),
    registerCommand(COMMANDS.dismissOldKey, log, async (a) =>
      (await import('./commands/rotate.js')).dismissOldKey(services, a),
    ),
    registerCommand(COMMANDS.testAllKeys, log, async (a) =>
      (await import('./commands/test-all.js')).testAllKeys(services, a),
    ),
    registerCommand(COMMANDS.groupKeysByEnvironment, log, () => setGrouping(true)),
    registerCommand(COMMANDS.listKeysFlat, log, () => setGrouping(false)),
    registerCommand(COMMANDS.respondToLeak, log, async (a) =>
      (await import('./incident/respond.js')).respondToLeak(services, a),
    ),
    registerCommand(COMMANDS.scanWorkspace, log, async () =>
      (await import('./leaks/workspace-scan.js')).scanWorkspace(diagnostics, known, log),
    ),
    registerCommand(COMMANDS.installHook, log, async (a) => {
      const done = await (await commitModule()).installHookCommand(context, log, a);
      // The status item re-reads now: a watcher on the hooks folder may not fire (or not yet) for our own write.
      for (const root of done) if (commitGuard) await commitGuard.protection.refresh(root);
      return done;
    }),
    // The staged problems' quick fixes (commit/staged-actions.ts).
    registerCommand(COMMANDS.unstageFile, log, async (a) => {
      const { root, path } = (typeof a === 'object' && a !== null ? a : {}) as { root?: unknown; path?: unknown };
      if (typeof root !== 'string' || typeof path !== 'string')
        throw new UserError('unstageFile needs { root, path }.');
      return (await commitModule()).unstage(root, path, log);
    }),
    registerCommand(COMMANDS.replaceStagedKey, log, async (a) =>
      (await import('./commit/staged-actions.js')).replaceStagedKey(a, log),
    ),
    registerCommand(COMMANDS.checkProtection, log, async (a) => {
      const repo = typeof a === 'object' && a !== null ? (a as { repo?: unknown }).repo : undefined;
      if (repo !== undefined && typeof repo !== 'string') throw new UserError('"repo" must be a folder path.');
      if (!commitGuard) throw new UserError('The git extension is still starting; try again in a moment.');
      return commitGuard.protection.check(repo);
    }),
    registerCommand(COMMANDS.enableCommitCheck, log, async (a) => {
      const given = (typeof a === 'object' && a !== null ? a : {}) as { confirm?: unknown; target?: unknown };
      if (given.target !== undefined && given.target !== 'user' && given.target !== 'workspace')
        throw new UserError('"target" is "user" or "workspace".');
      let target = (given.target ?? 'user') as 'user' | 'workspace';
      if (given.confirm !== true) {
        const items = [
          {
            label: 'For me, in every workspace',
            description: 'user settings',
            detail:
              'Adds "signus" to git.diagnosticsCommitHook.sources and turns the check on; no repository file changes.',
            target: 'user' as const,
          },
          ...(vscode.workspace.workspaceFolders?.length
            ? [
                {
                  label: 'For this workspace only',
                  description: '.vscode/settings.json',
                  detail:
                    "Writes the same two settings into this folder's .vscode/settings.json, which may be committed.",
                  target: 'workspace' as const,
                },
              ]
            : []),
        ];
        const picked = await vscode.window.showQuickPick(items, {
          title: 'Signus: turn on the Commit-button check',
          placeHolder:
            'Before a commit, VS Code asks "Commit Anyway / View Problems" when a staged file has a leaked key',
        });
        if (!picked) return false;
        target = picked.target;
      }
      await (await commitModule()).enableCommitCheck(log, target);
      return true;
    }),
    registerCommand(COMMANDS.syncKnownKeys, log, async () => {
      const path = await known.sync();
      void vscode.window.showInformationMessage(`Signus: known-keys file updated (fingerprints only): ${path}`);
      return path;
    }),
    registerCommand(COMMANDS.allowKey, log, (a) => allowList.allow(a)),
    registerCommand(COMMANDS.manageAllowed, log, (a) => allowList.manage(a)),
    registerCommand(COMMANDS.storeAndReplace, log, async (a) =>
      (await import('./leaks/store-and-replace.js')).storeAndReplace(add, a),
    ),
    registerCommand(COMMANDS.showLog, log, async () => log.show()),
    registerCommand(COMMANDS.insertKeyReference, log, async () =>
      (await import('./leaks/key-reference.js')).insertKeyReference(),
    ),
    registerCommand(COMMANDS.checkEnvFile, log, async (a) => {
      const uri = typeof a === 'object' && a !== null ? (a as { uri?: unknown }).uri : undefined;
      if (typeof uri !== 'string') throw new UserError('checkEnvFile needs { uri }.');
      return (await import('./leaks/key-reference.js')).checkEnvFile(uri);
    }),
    ...launch.register(),
    registerCommand(
      COMMANDS.launchAccountId,
      log,
      async () => (await launch.environment({ kind: 'active' })).env.SIGNUS_ACCOUNT_ID,
    ),
    registerCommand(
      COMMANDS.launchBaseUrl,
      log,
      async () => (await launch.environment({ kind: 'active' })).env.SIGNUS_BASE_URL,
    ),
  );

  // After activation returns: git, the hook offer and the terminal environment.
  const later = setTimeout(() => {
    void commitModule().then(({ CommitGuard: Guard }) => {
      commitGuard = new Guard(context, known, log, diagnostics);
      return commitGuard.start();
    });
    void terminal.update();
  }, 500);
  context.subscriptions.push({ dispose: () => clearTimeout(later) });

  const activatedInMs = performance.now() - started;
  log.info(`Activated in ${activatedInMs.toFixed(1)} ms.`);
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  void keyActions();
  void import('./panel/key-test-panel.js').then((m) => (loaded.panel = m));
  return {
    store,
    diagnostics,
    known,
    allowList,
    commitGuard: () => commitGuard,
    status,
    panel: () => loaded.panel?.KeyTestPanel.open,
    terminal,
    launch,
    globalState: context.globalState,
    environment: context.environmentVariableCollection,
    activatedInMs,
    developerSettingsUrl: () => {
      if (!loaded.keyActions) throw new Error('The key actions are still loading.');
      return loaded.keyActions.developerSettingsUrl().toString(true);
    },
    contextValues,
    stepInput: currentStepInput,
    scriptModals,
    tree,
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
