// The status-bar item that shows whether the focused repository's pre-commit hook protects it, from signus
// doctor's own checks (the core's function, not the CLI). It refreshes when a hook file or the git config
// (core.hooksPath) changes. A click runs doctor's remedy, or the full doctor with its canary commit when the
// hook works, with the details in the log. Separate from the active-key item (status-bar.ts).
import * as vscode from 'vscode';
import { chmodSync, unwatchFile, watch as watchDir, watchFile } from 'node:fs';
import { join, relative, sep, isAbsolute } from 'node:path';
import { runDoctor, type DoctorReport } from '@signus/shared/node';
import type { Log } from '../log.js';
import { runCommand } from '../commands/errors.js';
import { COMMANDS } from '../contributes.js';
import { CONTEXT, setContext } from '../context-keys.js';
import { protectionOf, statusLook, type Protection } from './protection-state.js';
import { repoLabel } from './repo-label.js';

export interface RepoProtection extends Protection {
  root: string;
  report: DoctorReport;
}

export class ProtectionStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('signus.protection', vscode.StatusBarAlignment.Left, 49);
  private readonly states = new Map<string, RepoProtection>();
  private readonly watchers = new Map<string, { hooksDir: string; closers: (() => void)[]; complete: boolean }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[] = [];

  /** `relevant`: a repository that uses Signus and did not answer "Never" (else shown only once a hook is there). */
  constructor(
    private readonly log: Log,
    private readonly relevant: (root: string) => boolean,
  ) {
    this.item.name = 'Signus repository protection';
    this.item.command = COMMANDS.checkProtection;
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      // Back from a terminal where the hook may have been edited: a repository whose folders are not all watched
      // (see watch) is re-read then; the others have their watchers.
      vscode.window.onDidChangeWindowState((w) => {
        if (!w.focused) return;
        for (const [root, watched] of this.watchers) if (!watched.complete) this.scheduleRefresh(root);
      }),
    );
  }

  /** What the item shows now; also read by tests. */
  text(): string | undefined {
    return this.item.text || undefined;
  }

  visible = false;

  state(root: string): RepoProtection | undefined {
    return this.states.get(root);
  }

  /** Re-reads one repository's hook with doctor's checks (no canary) and watches where git reads hooks. */
  async refresh(root: string): Promise<RepoProtection | undefined> {
    try {
      const report = await runDoctor(root, { canary: false });
      const state: RepoProtection = { root, report, ...protectionOf(report.checks) };
      this.states.set(root, state);
      this.watch(root, report.hooksDir);
      this.render();
      return state;
    } catch (error) {
      this.log.warn(`Protection of ${root}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private scheduleRefresh(root: string): void {
    clearTimeout(this.timers.get(root));
    this.timers.set(
      root,
      setTimeout(() => void this.refresh(root), 200),
    );
  }

  private watch(root: string, hooksDir: string): void {
    const current = this.watchers.get(root);
    if (current?.hooksDir === hooksDir && current.complete) return;
    for (const close of current?.closers ?? []) close();
    // Node's own watcher on the two folders, as VS Code's git extension watches .git: the workbench's file
    // watcher skips or delays events under .git and outside the workspace folders (it never fired on CI's
    // machine). Out of inotify instances or watches, a stat poll of the one file does; a folder that is not there
    // (a core.hooksPath not created yet), or a watcher that failed, is re-read and watched again on the next window focus.
    const watched = { hooksDir, closers: [] as (() => void)[], complete: true };
    const again = () => this.scheduleRefresh(root);
    for (const [dir, file] of [
      [hooksDir, undefined],
      [join(root, '.git'), 'config'],
    ] as const) {
      try {
        const w = watchDir(dir, { persistent: false }, (_event, name) => {
          if (!file || name === null || String(name).startsWith(file)) again();
        });
        w.on('error', () => {
          w.close();
          watched.complete = false;
        });
        watched.closers.push(() => w.close());
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          watched.complete = false;
          continue;
        }
        const polled = join(dir, file ?? 'pre-commit');
        this.log.warn(`Cannot watch ${dir} (${(error as Error).message}); checking ${polled} every 2 s instead.`);
        watchFile(polled, { persistent: false, interval: 2000 }, again);
        watched.closers.push(() => unwatchFile(polled, again));
      }
    }
    this.watchers.set(root, watched);
  }

  /** The repository the item speaks for: the active editor's, else the first one shown. */
  focused(): RepoProtection | undefined {
    const shown = [...this.states.values()].filter((s) => s.state !== 'missing' || this.relevant(s.root));
    const active = vscode.window.activeTextEditor?.document.uri;
    const inside = (root: string, path: string) => {
      const rel = relative(root, path);
      return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
    };
    const byEditor =
      active?.scheme === 'file'
        ? shown.filter((s) => inside(s.root, active.fsPath)).sort((a, b) => b.root.length - a.root.length)[0]
        : undefined;
    return byEditor ?? shown[0];
  }

  render(): void {
    const shown = [...this.states.values()].filter((s) => s.state !== 'missing' || this.relevant(s.root));
    setContext(
      CONTEXT.hookInstalled,
      shown.some((s) => s.state === 'protected'),
    );
    const focus = this.focused();
    if (!focus) {
      this.item.hide();
      this.visible = false;
      return;
    }
    const look = statusLook(repoLabel(focus.root), focus);
    this.item.text = look.text;
    this.item.tooltip = look.tooltip;
    this.item.backgroundColor = look.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
    this.visible = true;
  }

  /** The click: doctor's remedy for what is wrong, or the full doctor (canary commit) when the hook works. */
  async check(root = this.focused()?.root): Promise<RepoProtection | undefined> {
    if (!root) throw new Error('No repository that uses Signus is open.');
    const current = (await this.refresh(root)) ?? this.states.get(root);
    if (!current) return undefined;
    const name = repoLabel(root);
    this.logReport(current.report);
    const fix = current.problem?.fix;
    if (current.state === 'missing' || current.problem?.id === 'hook-runnable') {
      await runCommand(COMMANDS.installHook, { repo: root });
    } else if (current.problem?.id === 'hook-executable') {
      chmodSync(join(current.report.hooksDir, 'pre-commit'), 0o755);
      this.log.info(`Made the pre-commit hook of ${name} executable.`);
    } else if (current.state === 'broken') {
      const choice = await vscode.window.showWarningMessage(
        `Signus: the pre-commit hook in ${name} is broken: ${current.problem?.detail ?? ''}.${fix ? ` Fix: ${fix}.` : ''}`,
        'Show Details',
      );
      if (choice === 'Show Details') this.log.show();
      return current;
    } else {
      const full = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Signus: proving the hook of ${name} with a canary commit…`,
        },
        () => runDoctor(root),
      );
      this.logReport(full);
      const choice = await (full.protected
        ? vscode.window.showInformationMessage(
            `Signus: ${name} is protected: a canary commit that adds a key was blocked by the hook (nothing was kept).`,
            'Show Details',
          )
        : vscode.window.showWarningMessage(
            `Signus: ${name} is NOT protected: the canary commit was not blocked by the leak guard.`,
            'Show Details',
          ));
      if (choice === 'Show Details') this.log.show();
      return current;
    }
    return this.refresh(root);
  }

  private logReport(report: DoctorReport): void {
    this.log.info(`signus doctor: ${report.repo}`);
    for (const c of report.checks)
      this.log[c.ok ? 'info' : 'warn'](
        `${c.info ? '·' : c.ok ? '✓' : '✗'} ${c.detail}${!c.ok && c.fix ? ` (fix: ${c.fix})` : ''}`,
      );
    if (report.canary)
      this.log[report.protected ? 'info' : 'warn'](
        report.protected
          ? 'Protected: the canary commit was blocked by the leak guard.'
          : `NOT protected. Canary: ${report.canary.output.trim()}`,
      );
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const w of this.watchers.values()) for (const close of w.closers) close();
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
