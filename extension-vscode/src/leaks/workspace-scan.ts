// "Scan Workspace for Leaked Keys": each workspace folder's project scanned as `signus scan` scans it
// (the same tree walk, .gitignore, .signusignore, baseline, known keys, size limit and binary test), minus
// what `files.exclude` hides from the Explorer, cancellable, results in the Problems view. Once run, it runs
// again quietly when the keys or what is allowed change, so the Problems view never shows a stale answer.
import * as vscode from 'vscode';
import { isBaselined, openScanContext, scanTree, type FileFinding, type ScanContext } from '@signus/shared/node';
import { parseIgnoreFile, type IgnoreRules } from '@signus/shared';
import { join, relative, sep } from 'node:path';
import { excludeLines } from './files-exclude.js';
import type { Log } from '../log.js';
import { maxFileBytes, type LeakDiagnostics } from './editor-scanner.js';
import type { KnownKeys } from './known-keys.js';

export interface WorkspaceScanSummary {
  files: number;
  findings: number;
  filesWithFindings: string[];
  cancelled: boolean;
}

class Cancelled extends Error {}

/** One project's findings, exactly as `signus scan <folder>` reports them. */
export async function scanProject(
  context: ScanContext,
  folder: string,
  onProgress?: (files: number) => void,
): Promise<{ findings: FileFinding[]; files: number }> {
  const { findings, stats } = await scanTree({
    root: context.root,
    paths: [folder],
    knownKeys: context.knownKeys,
    ignore: context.ignore,
    maxFileBytes: context.limits.maxFileBytes,
    ...(onProgress && { onProgress: (s: { files: number }) => onProgress(s.files) }),
  });
  return { findings: findings.filter((f) => !isBaselined(context, f.path, f)), files: stats.files };
}

/** The project's .signusignore, plus the folder's `files.exclude` globs as paths that are not scanned. */
function withFilesExclude(context: ScanContext, folder: vscode.WorkspaceFolder): IgnoreRules | undefined {
  const exclude = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {};
  const prefix = relative(context.root, folder.uri.fsPath).split(sep).join('/');
  const lines = excludeLines(exclude, prefix);
  if (lines.length === 0) return context.ignore;
  let excluded: IgnoreRules;
  try {
    excluded = parseIgnoreFile(lines.join('\n'), 'files.exclude');
  } catch {
    return context.ignore;
  }
  const own = context.ignore;
  return {
    fingerprints: own?.fingerprints ?? new Set(),
    isPathIgnored: (path) => own?.isPathIgnored(path) === true || excluded.isPathIgnored(path),
  };
}

let everRun = false;

/** Runs the scan again without a notification, if a person has run it in this window. */
export async function rescanWorkspace(diagnostics: LeakDiagnostics, known: KnownKeys, log: Log): Promise<void> {
  if (everRun) await scanWorkspace(diagnostics, known, log, { quiet: true });
}

export async function scanWorkspace(
  diagnostics: LeakDiagnostics,
  known: KnownKeys,
  log: Log,
  { quiet = false }: { quiet?: boolean } = {},
): Promise<WorkspaceScanSummary> {
  if (!vscode.workspace.workspaceFolders?.some((f) => f.uri.scheme === 'file')) {
    if (!quiet)
      void vscode.window.showInformationMessage(
        'Signus: open a folder to scan it. Keys in open files are checked as you type, folder or not.',
      );
    return { files: 0, findings: 0, filesWithFindings: [], cancelled: false };
  }
  everRun = true;
  const knownKeys = await known.current();
  const summary: WorkspaceScanSummary = { files: 0, findings: 0, filesWithFindings: [], cancelled: false };
  await vscode.window.withProgress(
    {
      location: quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
      title: 'Signus: scanning the workspace for leaked keys',
      cancellable: !quiet,
    },
    async (progress, token) => {
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        if (folder.uri.scheme !== 'file') continue;
        try {
          const opened = openScanContext(folder.uri.fsPath, { knownKeys, maxFileBytes: maxFileBytes() });
          const context = { ...opened, ignore: withFilesExclude(opened, folder) };
          const { findings, files } = await scanProject(context, folder.uri.fsPath, (n) => {
            if (token.isCancellationRequested) throw new Cancelled();
            progress.report({ message: `${folder.name}: ${n} files` });
          });
          summary.files += files;
          const byFile = new Map<string, FileFinding[]>();
          for (const f of findings) byFile.set(f.path, [...(byFile.get(f.path) ?? []), f]);
          // Earlier results for this folder are replaced: a file fixed since then loses its problems.
          for (const key of [...diagnostics.workspaceScanned]) {
            const uri = vscode.Uri.parse(key);
            if (uri.fsPath.startsWith(folder.uri.fsPath)) diagnostics.set(uri, []);
          }
          for (const [path, found] of byFile) {
            const uri = vscode.Uri.file(join(context.root, path));
            diagnostics.workspaceScanned.add(uri.toString());
            diagnostics.set(uri, found);
            summary.findings += found.length;
            summary.filesWithFindings.push(vscode.workspace.asRelativePath(uri));
          }
        } catch (error) {
          if (error instanceof Cancelled) {
            summary.cancelled = true;
            break;
          }
          log.error(`Could not scan ${folder.name}`, error);
        }
      }
    },
  );
  log.info(
    `Workspace scan${summary.cancelled ? ' (cancelled)' : ''}: ${summary.files} files, ${summary.findings} finding(s) in ${summary.filesWithFindings.length} file(s).`,
  );
  if (quiet) return summary;
  const message = `Signus: ${summary.findings === 0 ? 'no leaked keys found' : `${summary.findings} leaked key(s) in ${summary.filesWithFindings.length} file(s)`} (${summary.files} files scanned${summary.cancelled ? ', cancelled' : ''}).`;
  if (summary.findings > 0) {
    void vscode.window.showWarningMessage(message, 'Show Problems').then((c) => {
      if (c) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  } else void vscode.window.showInformationMessage(message);
  return summary;
}
