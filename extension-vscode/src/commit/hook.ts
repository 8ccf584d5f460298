// Installs the signus pre-commit hook with the CLI bundled in this extension, so the hook runs that
// copy for commits made anywhere: the Source Control view, a terminal, another tool.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import { knownKeysPath } from '../leaks/known-keys.js';
import type { Log } from '../log.js';

export function bundledCli(context: vscode.ExtensionContext): string {
  return join(context.extensionPath, 'dist', 'cli', 'signus.mjs');
}

/** The node the hook runs. VS Code's own binary is Electron, which a hook cannot run as node. */
export function nodeForHook(): string {
  if (basename(process.execPath).replace(/\.exe$/i, '') === 'node') return process.execPath;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of process.platform === 'win32' ? ['node.exe'] : ['node']) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  throw new Error('Node.js was not found on PATH; the pre-commit hook needs it. Install Node.js 20 or later.');
}

function runCli(
  context: vscode.ExtensionContext,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(nodeForHook(), [bundledCli(context), ...args], { cwd, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function installHook(context: vscode.ExtensionContext, repo: string, log: Log): Promise<string> {
  const { code, stdout, stderr } = await runCli(
    context,
    // The file this extension writes, so the hook knows the same keys as the editor.
    ['hook', 'install', '--repo', repo, '--node', nodeForHook(), '--known-keys', await knownKeysPath()],
    repo,
  );
  if (code !== 0) throw new Error(stderr.trim() || `signus hook install exited with ${code}`);
  log.info(`Pre-commit hook installed in ${repo}: ${stdout.trim()}`);
  return stdout.trim();
}
