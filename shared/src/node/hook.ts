/**
 * The pre-commit hook: installed into the effective hooks directory (core.hooksPath honoured), chaining
 * any hook that was there (kept beside it as pre-commit.signus-chained and restored on uninstall).
 * It runs `node` on the CLI file directly: npx would add ~340 ms to every commit.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { quotePosix } from '../curl.js';
import { CANDIDATE_LINE_ERE } from '../scan/index.js';
import { git, GitError } from './git.js';
import { assertUsableHookPaths } from './hook-paths.js';
import { detectHookManager, SHARED_HOOK_LINE, type DetectedManager, type HookManager } from './hook-managers.js';
import { addSharedLine, hasSharedLine, removeSharedLine } from './hook-shared.js';
import { KEY_LIKE_DIFF_COMPLETE_MARKER, STAGED_DIFF_ARGS } from './staged.js';

export const HOOK_NAME = 'pre-commit';
export const CHAINED_NAME = 'pre-commit.signus-chained';
const MARKER = '# signus-leak-guard:';

export interface HookStatus {
  repo: string;
  hooksDir: string;
  /** Our hook, or the shared file that holds our line; else where ours would go. */
  hookPath: string;
  /** Our hook is the pre-commit hook, or our line is in the shared hook. */
  installed: boolean;
  /** `local`: our script with this machine's paths; `shared`: the portable line in a file the team shares. */
  mode: 'local' | 'shared' | null;
  /** A pre-commit hook that is not ours is in place. */
  foreignHook: boolean;
  /** The hook manager that owns the pre-commit hook (Husky, lefthook, …), if any. */
  manager: HookManager | null;
  /** The hooks folder is tracked by git: the team's shared hooks. */
  trackedHooksDir: boolean;
  /** The hook ours runs first, if any. */
  chained: string | null;
  node: string | null;
  cli: string | null;
  /** The node and CLI files the hook names exist (a shared line runs `signus` from PATH: always true). */
  runnable: boolean;
  /** The known-keys file the hook reads when SIGNUS_KNOWN_KEYS is unset, if one was given at install. */
  knownKeys: string | null;
}

export interface HookOptions {
  /**
   * The known-keys file the VS Code extension writes (its `signus.knownKeys.path`), so the hook
   * recognises the same keys as the editor; the per-user default when not given.
   */
  knownKeys?: string | undefined;
}

/** Refused on purpose; the message says what to do instead. */
export class HookRefused extends GitError {}

// Control characters (a newline above all) in a path written into the hook could end a comment or a quoted
// word and run the rest as shell code. Quoting is not enough for the comment lines, so such paths are refused.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A path with its control characters made visible, for messages. */
export function visiblePath(path: string): string {
  return path.replace(new RegExp(CONTROL.source, 'g'), (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? '\\t'
          : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

function assertWritablePath(what: string, path: string): void {
  if (CONTROL.test(path)) {
    throw new HookRefused(
      `the ${what} path "${visiblePath(path)}" contains a control character (such as a newline), which a hook ` +
        `script cannot name safely. Use a ${what} at a path without one${what === 'node' ? ' (--node PATH)' : ''}.`,
    );
  }
}

/** git prints one path per call and ends it with a newline; a path may itself end in whitespace. */
async function gitPath(args: string[], cwd: string): Promise<string> {
  const text = (await git(args, cwd)).toString('utf8');
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

export async function hooksDirectory(repo: string): Promise<{ top: string; hooksDir: string }> {
  let top: string;
  let hooks: string;
  try {
    // Two calls, not one with a line per answer: a path may hold a newline, which would split it.
    top = await gitPath(['rev-parse', '--show-toplevel'], repo);
    hooks = await gitPath(['rev-parse', '--git-path', 'hooks'], repo);
  } catch (error) {
    throw new GitError(`${visiblePath(repo)} is not inside a git work tree (${(error as Error).message}).`);
  }
  return { top, hooksDir: isAbsolute(hooks) ? hooks : resolve(repo, hooks) };
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Whether git tracks anything in the hooks folder: then it is the team's, not this machine's. */
async function isTrackedDir(top: string, dir: string): Promise<boolean> {
  const rel = relative(realOrSelf(top), realOrSelf(dir));
  if (rel.startsWith('..') || isAbsolute(rel)) return false;
  const listed = await git(['ls-files', '-z', '--', `:(literal)${rel === '' ? '.' : rel}`], top);
  return listed.length > 0;
}

export function hookScript(node: string, cli: string, options: HookOptions = {}): string {
  const knownKeys =
    options.knownKeys === undefined
      ? ''
      : `# signus-known-keys: ${options.knownKeys}
# The known-keys file the editor uses, unless SIGNUS_KNOWN_KEYS says otherwise.
SIGNUS_KNOWN_KEYS=\${SIGNUS_KNOWN_KEYS:-${quotePosix(options.knownKeys)}}
export SIGNUS_KNOWN_KEYS
`;
  return `#!/bin/sh
${MARKER} blocks commits that add a Signus API key.
# Installed by "signus hook install"; "signus hook uninstall" removes it and restores any hook it chains.
# To commit anyway: git commit --no-verify
# signus-node: ${node}
# signus-cli: ${cli}
${knownKeys}# The hooks directory without $(dirname): a subshell and a process less on every commit.
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
git diff --cached --quiet --no-ext-diff --no-textconv --text --diff-filter=ACMRT -G${quotePosix(CANDIDATE_LINE_ERE)} -- && exit 0
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

interface Situation {
  top: string;
  hooksDir: string;
  hookPath: string;
  text: string | undefined;
  manager: DetectedManager | undefined;
  tracked: boolean;
  /** Where our portable line goes when the hook is shared: Husky's user hook, or the tracked hook itself. */
  sharedFile: string | undefined;
}

async function situation(repo: string): Promise<Situation> {
  const { top, hooksDir } = await hooksDirectory(repo);
  const hookPath = join(hooksDir, HOOK_NAME);
  const text = readHook(hookPath);
  const manager = isOurs(text) ? undefined : detectHookManager(top, hooksDir, text);
  const tracked = await isTrackedDir(top, hooksDir);
  const sharedFile = manager?.userHook ?? (tracked ? hookPath : undefined);
  return { top, hooksDir, hookPath, text, manager, tracked, sharedFile };
}

export async function hookStatus(repo: string): Promise<HookStatus> {
  const s = await situation(repo);
  const local = isOurs(s.text);
  const shared = !local && s.sharedFile !== undefined && hasSharedLine(s.sharedFile);
  const chainedPath = join(s.hooksDir, CHAINED_NAME);
  const node = local ? (/^# signus-node: (.*)$/m.exec(s.text!)?.[1] ?? null) : null;
  const cli = local ? (/^# signus-cli: (.*)$/m.exec(s.text!)?.[1] ?? null) : null;
  return {
    repo: s.top,
    hooksDir: s.hooksDir,
    hookPath: shared ? s.sharedFile! : s.hookPath,
    installed: local || shared,
    mode: local ? 'local' : shared ? 'shared' : null,
    foreignHook: s.text !== undefined && !local,
    manager: s.manager?.manager ?? null,
    trackedHooksDir: s.tracked,
    chained: local && existsSync(chainedPath) ? chainedPath : null,
    node,
    cli,
    runnable: shared || (node !== null && cli !== null && existsSync(node) && existsSync(cli)),
    knownKeys: local ? (/^# signus-known-keys: (.*)$/m.exec(s.text!)?.[1] ?? null) : null,
  };
}

export type InstallOutcome = 'installed' | 'updated' | 'installed-chained' | 'added-shared' | 'shared-present';

export interface InstallOptions extends HookOptions {
  /**
   * Write into hooks the team shares (a Husky hook, a tracked core.hooksPath folder): only the portable line,
   * never this machine's paths. Without it such hooks are left alone and the refusal says what to add.
   */
  shared?: boolean;
}

/** Idempotent: installing again rewrites our hook (new node or CLI path) and never chains itself. */
export async function installHook(
  repo: string,
  node: string,
  cli: string,
  options: InstallOptions = {},
): Promise<{ outcome: InstallOutcome; status: HookStatus }> {
  if (options.knownKeys !== undefined) assertWritablePath('known-keys', options.knownKeys);
  const s = await situation(repo);
  // lefthook, the pre-commit framework, simple-git-hooks, old Husky: their own configuration is the way in.
  if (s.manager && !s.manager.userHook) throw new HookRefused(s.manager.instructions);
  if (s.sharedFile) {
    if (!options.shared) {
      throw new HookRefused(
        s.manager?.instructions ??
          `${visiblePath(s.hooksDir)} is tracked by git (hooks shared with your team), so signus does not rewrite ` +
            `it or put this machine's paths into it. Add this line near the top of ${visiblePath(s.hookPath)}:\n` +
            `  ${SHARED_HOOK_LINE}\nor let signus add it: signus hook install --shared`,
      );
    }
    const added = addSharedLine(s.sharedFile);
    return { outcome: added === 'added' ? 'added-shared' : 'shared-present', status: await hookStatus(repo) };
  }
  assertWritablePath('node', node);
  assertWritablePath('CLI', cli);
  const chainedPath = join(s.hooksDir, CHAINED_NAME);
  assertUsableHookPaths(s.hooksDir, [s.hookPath, chainedPath]);
  mkdirSync(s.hooksDir, { recursive: true });
  let outcome: InstallOutcome = 'installed';
  if (isOurs(s.text)) {
    outcome = 'updated';
  } else if (s.text !== undefined) {
    if (existsSync(chainedPath)) {
      throw new GitError(
        `both ${visiblePath(s.hookPath)} and ${visiblePath(chainedPath)} exist and neither is ours; move one away first.`,
      );
    }
    renameSync(s.hookPath, chainedPath);
    outcome = 'installed-chained';
  }
  const tmp = `${s.hookPath}.signus-tmp`;
  writeFileSync(tmp, hookScript(node, cli, options), { mode: 0o755 });
  chmodSync(tmp, 0o755);
  renameSync(tmp, s.hookPath);
  return { outcome, status: await hookStatus(repo) };
}

export type UninstallOutcome = 'removed' | 'restored' | 'not-installed' | 'removed-shared';

export async function uninstallHook(repo: string): Promise<{ outcome: UninstallOutcome; status: HookStatus }> {
  const s = await situation(repo);
  const chainedPath = join(s.hooksDir, CHAINED_NAME);
  assertUsableHookPaths(s.hooksDir, [s.hookPath, chainedPath]);
  if (!isOurs(s.text)) {
    const removed = s.sharedFile !== undefined && removeSharedLine(s.sharedFile);
    return { outcome: removed ? 'removed-shared' : 'not-installed', status: await hookStatus(repo) };
  }
  rmSync(s.hookPath);
  let outcome: UninstallOutcome = 'removed';
  if (existsSync(chainedPath)) {
    renameSync(chainedPath, s.hookPath);
    outcome = 'restored';
  }
  return { outcome, status: await hookStatus(repo) };
}
