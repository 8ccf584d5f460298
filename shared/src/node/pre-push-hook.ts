/**
 * The pre-push hook: the last exit before a key leaves the machine. It sits beside the pre-commit hook in
 * the same hooks directory, chains a pre-push hook that was there (kept as pre-push.signus-chained), and
 * hands git's ref lines to `signus scan --pre-push`, which scans only the commits the remote lacks.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quotePosix } from '../curl.js';
import { GitError } from './git.js';
import { hooksDirectory } from './hook.js';

export const PRE_PUSH_NAME = 'pre-push';
export const PRE_PUSH_CHAINED_NAME = 'pre-push.signus-chained';
const MARKER = '# signus-leak-guard-pre-push:';

export interface PrePushStatus {
  hookPath: string;
  installed: boolean;
  foreignHook: boolean;
  chained: string | null;
  /** Options it passes to the scan (--verify). */
  options: PrePushScanOption[];
  node: string | null;
  cli: string | null;
  runnable: boolean;
}

/** Options of `signus scan` the hook may pass on (fixed words, never user text). */
export const PRE_PUSH_SCAN_OPTIONS = ['--verify'] as const;
export type PrePushScanOption = (typeof PRE_PUSH_SCAN_OPTIONS)[number];

export function prePushScript(node: string, cli: string, options: readonly PrePushScanOption[] = []): string {
  if (options.some((o) => !PRE_PUSH_SCAN_OPTIONS.includes(o))) throw new GitError('unknown pre-push scan option.');
  if (/[\n\r]/.test(node + cli))
    throw new GitError('the node or CLI path contains a line break; a hook cannot name it safely.');
  return `#!/bin/sh
${MARKER} blocks a push whose new commits add a Signus API key.
# Installed by "signus hook install --pre-push"; "signus hook uninstall" removes it and restores any hook it chains.
# To push anyway: git push --no-verify
# signus-node: ${node}
# signus-cli: ${cli}
# git gives the refs being pushed on standard input, once: keep them for the chained hook and for signus.
refs=$(cat)
case $0 in */*) chained="\${0%/*}/${PRE_PUSH_CHAINED_NAME}" ;; *) chained="./${PRE_PUSH_CHAINED_NAME}" ;; esac
if [ -x "$chained" ]; then
  printf '%s\\n' "$refs" | "$chained" "$@" || exit $?
fi
if [ ! -f ${quotePosix(cli)} ]; then
  echo "signus: the leak guard's CLI is gone; the push is blocked." >&2
  echo "Reinstall it with \\"signus hook install --pre-push\\", remove it with \\"signus hook uninstall\\", or push with --no-verify." >&2
  exit 1
fi
printf '%s\\n' "$refs" | exec ${quotePosix(node)} ${quotePosix(cli)} scan --pre-push "$@"${options.map((o) => ` ${o}`).join('')}
`;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};
const isOurs = (text: string | undefined) => text !== undefined && text.includes(MARKER);

export async function prePushStatus(repo: string): Promise<PrePushStatus> {
  const { hooksDir } = await hooksDirectory(repo);
  const hookPath = join(hooksDir, PRE_PUSH_NAME);
  const text = read(hookPath);
  const installed = isOurs(text);
  const chainedPath = join(hooksDir, PRE_PUSH_CHAINED_NAME);
  const node = installed ? (/^# signus-node: (.*)$/m.exec(text!)?.[1] ?? null) : null;
  const cli = installed ? (/^# signus-cli: (.*)$/m.exec(text!)?.[1] ?? null) : null;
  return {
    hookPath,
    installed,
    foreignHook: text !== undefined && !installed,
    chained: installed && existsSync(chainedPath) ? chainedPath : null,
    options: installed
      ? PRE_PUSH_SCAN_OPTIONS.filter((o) => new RegExp(`scan --pre-push "\\$@".* ${o}\\b`).test(text!))
      : [],
    node,
    cli,
    runnable: node !== null && cli !== null && existsSync(node) && existsSync(cli),
  };
}

/** Idempotent; a pre-push hook that is not ours is kept and run first. */
export async function installPrePushHook(
  repo: string,
  node: string,
  cli: string,
  options: readonly PrePushScanOption[] = [],
): Promise<{ outcome: 'installed' | 'updated' | 'installed-chained'; status: PrePushStatus }> {
  const { hooksDir } = await hooksDirectory(repo);
  mkdirSync(hooksDir, { recursive: true });
  const hookPath = join(hooksDir, PRE_PUSH_NAME);
  const chainedPath = join(hooksDir, PRE_PUSH_CHAINED_NAME);
  const existing = read(hookPath);
  let outcome: 'installed' | 'updated' | 'installed-chained' = 'installed';
  if (isOurs(existing)) outcome = 'updated';
  else if (existing !== undefined) {
    if (existsSync(chainedPath))
      throw new GitError(`both ${hookPath} and ${chainedPath} exist and neither is ours; move one away first.`);
    renameSync(hookPath, chainedPath);
    outcome = 'installed-chained';
  }
  const tmp = `${hookPath}.signus-tmp`;
  writeFileSync(tmp, prePushScript(node, cli, options), { mode: 0o755 });
  chmodSync(tmp, 0o755);
  renameSync(tmp, hookPath);
  return { outcome, status: await prePushStatus(repo) };
}

export async function uninstallPrePushHook(repo: string): Promise<'removed' | 'restored' | 'not-installed'> {
  const { hooksDir } = await hooksDirectory(repo);
  const hookPath = join(hooksDir, PRE_PUSH_NAME);
  const chainedPath = join(hooksDir, PRE_PUSH_CHAINED_NAME);
  if (!isOurs(read(hookPath))) return 'not-installed';
  rmSync(hookPath);
  if (!existsSync(chainedPath)) return 'removed';
  renameSync(chainedPath, hookPath);
  return 'restored';
}
