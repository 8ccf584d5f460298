// "Scan Workspace for Leaked Keys": every file, cancellable, results in the Problems view.
import * as vscode from 'vscode';
import { decodeText, scanText } from '@signus/shared';
import type { Log } from '../log.js';
import type { LeakDiagnostics } from './editor-scanner.js';
import type { KnownKeys } from './known-keys.js';
import { setting } from '../config.js';

export interface WorkspaceScanSummary {
  files: number;
  findings: number;
  filesWithFindings: string[];
  cancelled: boolean;
}

export async function scanWorkspace(
  diagnostics: LeakDiagnostics,
  known: KnownKeys,
  log: Log,
): Promise<WorkspaceScanSummary> {
  const exclude = setting('scan.exclude');
  const maxBytes = setting('scan.maxFileBytes');
  const knownKeys = await known.current();
  const summary: WorkspaceScanSummary = { files: 0, findings: 0, filesWithFindings: [], cancelled: false };
  await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: 'Signus: scanning the workspace for leaked keys',
      cancellable: true,
    },
    async (progress, token) => {
      const uris = await vscode.workspace.findFiles('**/*', exclude, undefined, token);
      const step = uris.length > 0 ? 100 / uris.length : 100;
      for (const uri of uris) {
        if (token.isCancellationRequested) {
          summary.cancelled = true;
          break;
        }
        const rel = vscode.workspace.asRelativePath(uri);
        progress.report({ increment: step, message: rel });
        try {
          const stat = await vscode.workspace.fs.stat(uri);
          if (stat.size > maxBytes) continue;
          const bytes = await vscode.workspace.fs.readFile(uri);
          // UTF-16 (with a BOM or by its NUL pattern) is decoded; only real binaries are skipped.
          const decoded = decodeText(bytes);
          if (decoded.binary) {
            log.info(`Not read (binary): ${rel}`);
            continue;
          }
          summary.files += 1;
          const found = await scanText(decoded.text, { path: rel, knownKeys });
          diagnostics.workspaceScanned.add(uri.toString());
          diagnostics.set(uri, found);
          if (found.length > 0) {
            summary.findings += found.length;
            summary.filesWithFindings.push(rel);
          }
        } catch (error) {
          log.warn(`Skipped ${rel}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
  );
  log.info(
    `Workspace scan${summary.cancelled ? ' (cancelled)' : ''}: ${summary.files} files, ${summary.findings} finding(s) in ${summary.filesWithFindings.length} file(s).`,
  );
  const message = `Signus: ${summary.findings === 0 ? 'no leaked keys found' : `${summary.findings} leaked key(s) in ${summary.filesWithFindings.length} file(s)`} (${summary.files} files scanned${summary.cancelled ? ', cancelled' : ''}).`;
  if (summary.findings > 0) {
    void vscode.window.showWarningMessage(message, 'Show Problems').then((c) => {
      if (c) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  } else void vscode.window.showInformationMessage(message);
  return summary;
}
