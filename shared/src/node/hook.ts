/**
 * The pre-commit hook: installed into the effective hooks directory (core.hooksPath honoured), chaining
 * any hook that was there (kept beside it as pre-commit.signus-chained and restored on uninstall).
 * It runs `node` on the CLI file directly: npx would add ~340 ms to every commit.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { quotePosix } from '../curl.js';
import { CANDIDATE_LINE_ERE } from '../scan/index.js';
import { gitText, GitError } from './git.js';
import { assertUsableHookPaths } from './hook-paths.js';
import { KEY_LIKE_DIFF_COMPLETE_MARKER, STAGED_DIFF_ARGS } from './staged.js';

export const HOOK_NAME = 'pre-commit';
export const CHAINED_NAME = 'pre-commit.signus-chained';
const MARKER = '# signus-leak-guard';

export interface HookStatus {
  repo: string;
  hooksDir: string;
  hookPath: string;
  /** Our hook is the pre-commit hook. */
  installed: boolean;
  /** A pre-commit hook that is not ours is in place. */
  foreignHook: boolean;
  /** The hook ours runs first, if any. */
  chained: string | null;
  node: string | null;
  cli: string | null;
  /** The node and CLI files the hook names exist. */
  runnable: boolean;
}

export async function hooksDirectory(repo: string): Promise<{ top: string; hooksDir: string }> {
  let lines: string[];
  try {
    lines = (await gitText(['rev-parse', '--show-toplevel', '--git-path', 'hooks'], repo)).split('\n');
  } catch (error) {
    throw new GitError(`${repo} is not inside a git work tree (${(error as Error).message}).`);
  }
  const [top = repo, hooks = '.git/hooks'] = lines;
  return { top, hooksDir: isAbsolute(hooks) ? hooks : resolve(repo, hooks) };
}

export function hookScript(node: string, cli: string): string {
  return `#!/bin/sh
${MARKER}: blocks commits that add a Signus API key.
# Installed by "signus hook install"; "signus hook uninstall" removes it and restores any hook it chains.
# To commit anyway: git commit --no-verify
# signus-node: ${node}
# signus-cli: ${cli}
# The hooks directory without $(dirname): a subshell and a process less on every commit.
case $0 in */*) chained="\${0%/*}/${CHAINED_NAME}" ;; *) chained="./${CHAINED_NAME}" ;; esac
if [ -x "$chained" ]; then
  "$chained" "$@" || exit $?
fi
if [ ! -f ${quotePosix(cli)} ]; then
  echo "signus: the leak guard's CLI is gone (${cli.replace(/["`$\\]/g, '')})." >&2
  echo "Reinstall it with \\"signus hook install\\", remove it with \\"signus hook uninstall\\", or commit with --no-verify." >&2
  exit 1
fi
# Fast path: when no staged line could hold a key, pass without starting node (git exits 0; 1 means
# candidate lines, anything else an error: both go on to the full scan, which blocks if git fails).
git diff --cached --quiet --no-ext-diff --no-textconv --diff-filter=ACMRT -G${quotePosix(CANDIDATE_LINE_ERE)} -- && exit 0
# Full scan. git runs here, in parallel with node starting up, and sends only the files with a candidate
# line (a small diff that git finishes while node starts); the marker is printed only if git succeeded.
{ git ${STAGED_DIFF_ARGS.join(' ')} -G${quotePosix(CANDIDATE_LINE_ERE)} -- && printf '${KEY_LIKE_DIFF_COMPLETE_MARKER.replace(/\n/g, '\\n')}'; } |
  exec ${quotePosix(node)} ${quotePosix(cli)} scan --staged --diff-stdin
`;
}

function readHook(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const isOurs = (text: string | undefined) => text !== undefined && text.includes(MARKER);

export async function hookStatus(repo: string): Promise<HookStatus> {
  const { top, hooksDir } = await hooksDirectory(repo);
  const hookPath = join(hooksDir, HOOK_NAME);
  const text = readHook(hookPath);
  const installed = isOurs(text);
  const chainedPath = join(hooksDir, CHAINED_NAME);
  const node = installed ? (/^# signus-node: (.*)$/m.exec(text!)?.[1] ?? null) : null;
  const cli = installed ? (/^# signus-cli: (.*)$/m.exec(text!)?.[1] ?? null) : null;
  return {
    repo: top,
    hooksDir,
    hookPath,
    installed,
    foreignHook: text !== undefined && !installed,
    chained: installed && existsSync(chainedPath) ? chainedPath : null,
    node,
    cli,
    runnable: node !== null && cli !== null && existsSync(node) && existsSync(cli),
  };
}

export type InstallOutcome = 'installed' | 'updated' | 'installed-chained';

/** Idempotent: installing again rewrites our hook (new node or CLI path) and never chains itself. */
export async function installHook(
  repo: string,
  node: string,
  cli: string,
): Promise<{ outcome: InstallOutcome; status: HookStatus }> {
  const { hooksDir } = await hooksDirectory(repo);
  const hookPath = join(hooksDir, HOOK_NAME);
  const chainedPath = join(hooksDir, CHAINED_NAME);
  assertUsableHookPaths(hooksDir, [hookPath, chainedPath]);
  mkdirSync(hooksDir, { recursive: true });
  const existing = readHook(hookPath);
  let outcome: InstallOutcome = 'installed';
  if (isOurs(existing)) {
    outcome = 'updated';
  } else if (existing !== undefined) {
    if (existsSync(chainedPath)) {
      throw new GitError(`both ${hookPath} and ${chainedPath} exist and neither is ours; move one away first.`);
    }
    renameSync(hookPath, chainedPath);
    outcome = 'installed-chained';
  }
  const tmp = `${hookPath}.signus-tmp`;
  writeFileSync(tmp, hookScript(node, cli), { mode: 0o755 });
  chmodSync(tmp, 0o755);
  renameSync(tmp, hookPath);
  return { outcome, status: await hookStatus(repo) };
}

export type UninstallOutcome = 'removed' | 'restored' | 'not-installed';

export async function uninstallHook(repo: string): Promise<{ outcome: UninstallOutcome; status: HookStatus }> {
  const { hooksDir } = await hooksDirectory(repo);
  const hookPath = join(hooksDir, HOOK_NAME);
  const chainedPath = join(hooksDir, CHAINED_NAME);
  assertUsableHookPaths(hooksDir, [hookPath, chainedPath]);
  if (!isOurs(readHook(hookPath))) return { outcome: 'not-installed', status: await hookStatus(repo) };
  rmSync(hookPath);
  let outcome: UninstallOutcome = 'removed';
  if (existsSync(chainedPath)) {
    renameSync(chainedPath, hookPath);
    outcome = 'restored';
  }
  return { outcome, status: await hookStatus(repo) };
}
