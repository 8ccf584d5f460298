/**
 * The leak guard's git hooks, pre-commit and (opt-in) pre-push, by one installer: each goes into the
 * effective hooks directory (core.hooksPath honoured), chaining any hook that was there (kept beside it as
 * <name>.signus-chained and restored on uninstall). Hooks a manager or the team owns (Husky, lefthook, the
 * pre-commit framework, simple-git-hooks, a tracked core.hooksPath) are never taken over: install refuses and
 * says what to add, or with --shared adds the portable lines. Both hooks are checked before either is written.
 * Each runs `node` on the CLI file directly: npx would add ~340 ms to every commit.
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
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { quotePosix } from '../curl.js';
import { CANDIDATE_LINE_ERE } from '../scan/index.js';
import { git, GitError } from './git.js';
import { assertUsableHookPaths } from './hook-paths.js';
import {
  detectHookManager,
  sharedLines,
  type DetectedManager,
  type HookManager,
  type HookName,
} from './hook-managers.js';
import { addSharedLine, hasSharedLine, removeSharedLine, sharedOptions } from './hook-shared.js';
import {
  PRE_PUSH_CHAINED_NAME,
  PRE_PUSH_MARKER,
  prePushOptions,
  prePushScript,
  type PrePushScanOption,
} from './pre-push-script.js';
import { KEY_LIKE_DIFF_COMPLETE_MARKER, STAGED_DIFF_ARGS } from './staged.js';

export type { HookName, PrePushScanOption };
export const HOOK_NAME = 'pre-commit';
export const CHAINED_NAME = 'pre-commit.signus-chained';
const MARKER = '# signus-leak-guard:';
/**
 * A new space of 2 MB from the start: the hook's run allocates a little past V8's first 1 MB, which cost
 * one scavenge (~3 ms, most of what node keeps alive then is its own start-up). Same-run A/B, 4 × 40–60
 * runs: −0.5 to −8.5 ms, median of the four −2.6 ms; 1 MB (the default) changed nothing.
 */
const HOOK_NODE_FLAGS = '--min-semi-space-size=2';
const CHAINED: Record<HookName, string> = { 'pre-commit': CHAINED_NAME, 'pre-push': PRE_PUSH_CHAINED_NAME };
// The pre-push marker does not contain the pre-commit one, so neither hook is taken for the other.
const MARKERS: Record<HookName, string> = { 'pre-commit': MARKER, 'pre-push': PRE_PUSH_MARKER };

export interface HookStatus {
  hook: HookName;
  repo: string;
  hooksDir: string;
  /** Our hook, or the shared file that holds our line; else where ours would go. */
  hookPath: string;
  /** Our hook is this hook, or our line is in the shared hook. */
  installed: boolean;
  /** `local`: our script with this machine's paths; `shared`: the portable line in a file the team shares. */
  mode: 'local' | 'shared' | null;
  /** A hook of this name that is not ours is in place. */
  foreignHook: boolean;
  /** The hook manager that owns this hook (Husky, lefthook, …), if any. */
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
  /** pre-push: the options it passes to the scan (--verify). */
  options: PrePushScanOption[];
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

/**
 * The file the hook runs for its scan: signus-hook.cjs beside the CLI (the build writes it next to
 * signus.mjs and the VS Code extension ships both; a copy of the CLI without it runs the CLI itself).
 */
export function hookEntryFile(cli: string): string {
  return join(dirname(cli), HOOK_ENTRY_NAME);
}
export const HOOK_ENTRY_NAME = 'signus-hook.cjs';

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
# The hook's own file beside the CLI when there is one (only this command, its compiled code cached).
entry=${quotePosix(hookEntryFile(cli))}
[ -f "$entry" ] || entry=${quotePosix(cli)}
# One git run decides and produces the diff: limited with -G to the files with a line that could hold a
# key, it exits 0 when there is none (the commit passes without starting node), 1 when there are some
# (the marker is added and node scans them), anything else is an error (no marker: node blocks). The diff
# goes to a file in git's own directory that is deleted as soon as it is opened, so no name ever holds
# it; node reads it from the descriptor kept open.
case $GIT_INDEX_FILE in /*) scratch=\${GIT_INDEX_FILE%/*} ;; *) scratch=.git ;; esac
scratch="$scratch/signus-staged-diff.$$"
# Made anew (set -C: never through a link or over a file someone left there, e.g. where GIT_INDEX_FILE is /tmp).
if [ -d "\${scratch%/*}" ] && { set -C; command exec 3>"$scratch" 4<"$scratch"; opened=$?; set +C; [ "$opened" = 0 ]; } 2>/dev/null; then
  rm -f "$scratch"
  git ${STAGED_DIFF_ARGS.join(' ')} --exit-code -G${quotePosix(CANDIDATE_LINE_ERE)} -- >&3
  case $? in
    0) exit 0 ;;
    1) printf '${KEY_LIKE_DIFF_COMPLETE_MARKER.replace(/\n/g, '\\n')}' >&3 ;;
  esac
  exec 3>&- <&4 4<&-
  exec ${quotePosix(node)} ${HOOK_NODE_FLAGS} "$entry" scan --staged --diff-stdin
fi
# No such directory (a hook run by hand in a linked worktree), or the file cannot be made: two git runs.
# Fast path: when no staged line could hold a key, pass without starting node (git exits 0; 1 means
# candidate lines, anything else an error: both go on to the full scan, which blocks if git fails).
git diff --cached --quiet --no-ext-diff --no-textconv --text --diff-filter=ACMRT -G${quotePosix(CANDIDATE_LINE_ERE)} -- && exit 0
# Full scan. git runs here, in parallel with node starting up, and sends only the files with a candidate
# line (a small diff that git finishes while node starts); the marker is printed only if git succeeded.
{ git ${STAGED_DIFF_ARGS.join(' ')} -G${quotePosix(CANDIDATE_LINE_ERE)} -- && printf '${KEY_LIKE_DIFF_COMPLETE_MARKER.replace(/\n/g, '\\n')}'; } |
  exec ${quotePosix(node)} ${HOOK_NODE_FLAGS} "$entry" scan --staged --diff-stdin
`;
}

function readHook(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const isOurs = (text: string | undefined, hook: HookName = 'pre-commit') =>
  text !== undefined && text.includes(MARKERS[hook]);

interface Situation {
  hook: HookName;
  top: string;
  hooksDir: string;
  hookPath: string;
  text: string | undefined;
  manager: DetectedManager | undefined;
  tracked: boolean;
  /** Where our portable lines go when the hook is shared: Husky's user hook, or the tracked hook itself. */
  sharedFile: string | undefined;
}

async function situation(repo: string, hook: HookName): Promise<Situation> {
  const { top, hooksDir } = await hooksDirectory(repo);
  const hookPath = join(hooksDir, hook);
  const text = readHook(hookPath);
  const manager = isOurs(text, hook) ? undefined : detectHookManager(top, hooksDir, text, hook);
  const tracked = await isTrackedDir(top, hooksDir);
  const sharedFile = manager?.userHook ?? (tracked ? hookPath : undefined);
  return { hook, top, hooksDir, hookPath, text, manager, tracked, sharedFile };
}

function statusOf(s: Situation): HookStatus {
  const local = isOurs(s.text, s.hook);
  const shared = !local && s.sharedFile !== undefined && hasSharedLine(s.sharedFile);
  const chainedPath = join(s.hooksDir, CHAINED[s.hook]);
  const field = (name: string) =>
    local ? (new RegExp(`^# signus-${name}: (.*)$`, 'm').exec(s.text!)?.[1] ?? null) : null;
  const node = field('node');
  const cli = field('cli');
  return {
    hook: s.hook,
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
    knownKeys: field('known-keys'),
    options:
      s.hook !== 'pre-push'
        ? []
        : local
          ? prePushOptions(s.text!)
          : shared
            ? (sharedOptions(s.sharedFile!) as PrePushScanOption[])
            : [],
  };
}

/** Where the hook stands (`hook`: pre-commit by default, or pre-push). */
export async function hookStatus(repo: string, hook: HookName = 'pre-commit'): Promise<HookStatus> {
  return statusOf(await situation(repo, hook));
}

export type InstallOutcome = 'installed' | 'updated' | 'installed-chained' | 'added-shared' | 'shared-present';

export interface InstallOptions extends HookOptions {
  /**
   * Write into hooks the team shares (a Husky hook, a tracked core.hooksPath folder): only the portable lines,
   * never this machine's paths. Without it such hooks are left alone and the refusal says what to add.
   */
  shared?: boolean;
  /** Also install the pre-push hook. */
  prePush?: boolean;
  /** Options the pre-push hook passes to its scan (--verify). */
  prePushOptions?: readonly PrePushScanOption[];
}

/** What install would do to one hook, decided before anything is written. */
type Plan = { s: Situation; action: 'shared' | 'local' } | { s: Situation; refusal: string };

function plan(s: Situation, options: InstallOptions): Plan {
  // lefthook, the pre-commit framework, simple-git-hooks, old Husky: their own configuration is the way in.
  if (s.manager && !s.manager.userHook) return { s, refusal: s.manager.instructions };
  if (s.sharedFile) {
    if (options.shared) return { s, action: 'shared' };
    const lines = sharedLines(s.hook, s.hook === 'pre-push' ? options.prePushOptions : []);
    const them = lines.length > 1 ? 'these lines' : 'this line';
    return {
      s,
      refusal:
        s.manager?.instructions ??
        `${visiblePath(s.hooksDir)} is tracked by git (hooks shared with your team), so signus does not rewrite ` +
          `it or put this machine's paths into it. Add ${them} near the top of ${visiblePath(s.hookPath)}:\n` +
          `${lines.map((l) => `  ${l}`).join('\n')}\nor let signus add ${lines.length > 1 ? 'them' : 'it'}: ` +
          `signus hook install ${s.hook === 'pre-push' ? '--pre-push ' : ''}--shared`,
    };
  }
  return { s, action: 'local' };
}

async function installOne(
  p: Extract<Plan, { action: string }>,
  node: string,
  cli: string,
  options: InstallOptions,
): Promise<InstallOutcome> {
  const { s } = p;
  const scanOptions = s.hook === 'pre-push' ? (options.prePushOptions ?? []) : [];
  if (p.action === 'shared')
    return addSharedLine(s.sharedFile!, s.hook, scanOptions) === 'added' ? 'added-shared' : 'shared-present';
  const chainedPath = join(s.hooksDir, CHAINED[s.hook]);
  mkdirSync(s.hooksDir, { recursive: true });
  let outcome: InstallOutcome = 'installed';
  if (isOurs(s.text, s.hook)) {
    outcome = 'updated';
  } else if (s.text !== undefined) {
    renameSync(s.hookPath, chainedPath);
    outcome = 'installed-chained';
  }
  const tmp = `${s.hookPath}.signus-tmp`;
  const script = s.hook === 'pre-push' ? prePushScript(node, cli, scanOptions) : hookScript(node, cli, options);
  writeFileSync(tmp, script, { mode: 0o755 });
  chmodSync(tmp, 0o755);
  renameSync(tmp, s.hookPath);
  return outcome;
}

export interface HookResult<O> {
  hook: HookName;
  outcome: O;
  status: HookStatus;
}

/**
 * Installs the pre-commit hook, and with `prePush` the pre-push hook too. Both are checked first: when either
 * must be refused, nothing is written and the refusal names every file and line to add. Idempotent:
 * installing again rewrites our hook (new node or CLI path) and never chains itself.
 */
export async function installHooks(
  repo: string,
  node: string,
  cli: string,
  options: InstallOptions = {},
): Promise<HookResult<InstallOutcome>[]> {
  if (options.knownKeys !== undefined) assertWritablePath('known-keys', options.knownKeys);
  const hooks: HookName[] = options.prePush ? ['pre-commit', 'pre-push'] : ['pre-commit'];
  const plans: Plan[] = [];
  for (const hook of hooks) plans.push(plan(await situation(repo, hook), options));
  const refusals = plans.flatMap((p) => ('refusal' in p ? [p.refusal] : []));
  if (refusals.length) throw new HookRefused([...new Set(refusals)].join('\n\n'));
  if (plans.some((p) => 'action' in p && p.action === 'local')) {
    assertWritablePath('node', node);
    assertWritablePath('CLI', cli);
  }
  for (const p of plans) {
    if (!('action' in p) || p.action !== 'local') continue;
    const { s } = p;
    const chainedPath = join(s.hooksDir, CHAINED[s.hook]);
    assertUsableHookPaths(s.hooksDir, [s.hookPath, chainedPath]);
    if (!isOurs(s.text, s.hook) && s.text !== undefined && existsSync(chainedPath))
      throw new GitError(
        `both ${visiblePath(s.hookPath)} and ${visiblePath(chainedPath)} exist and neither is ours; move one away first.`,
      );
  }
  const results: HookResult<InstallOutcome>[] = [];
  for (const p of plans) {
    if (!('action' in p)) continue;
    const outcome = await installOne(p, node, cli, options);
    results.push({ hook: p.s.hook, outcome, status: await hookStatus(repo, p.s.hook) });
  }
  return results;
}

/** The pre-commit hook alone (see installHooks). */
export async function installHook(
  repo: string,
  node: string,
  cli: string,
  options: InstallOptions = {},
): Promise<{ outcome: InstallOutcome; status: HookStatus }> {
  const [first] = await installHooks(repo, node, cli, { ...options, prePush: false });
  return first!;
}

export type UninstallOutcome = 'removed' | 'restored' | 'not-installed' | 'removed-shared';

async function uninstallOne(repo: string, hook: HookName): Promise<HookResult<UninstallOutcome>> {
  const s = await situation(repo, hook);
  const chainedPath = join(s.hooksDir, CHAINED[hook]);
  assertUsableHookPaths(s.hooksDir, [s.hookPath, chainedPath]);
  let outcome: UninstallOutcome;
  if (!isOurs(s.text, hook)) {
    const removed = s.sharedFile !== undefined && removeSharedLine(s.sharedFile, hook);
    outcome = removed ? 'removed-shared' : 'not-installed';
  } else {
    rmSync(s.hookPath);
    outcome = 'removed';
    if (existsSync(chainedPath)) {
      renameSync(chainedPath, s.hookPath);
      outcome = 'restored';
    }
  }
  return { hook, outcome, status: await hookStatus(repo, hook) };
}

/** Removes both hooks (or our lines in shared ones), restoring what each chained. */
export async function uninstallHooks(repo: string): Promise<HookResult<UninstallOutcome>[]> {
  return [await uninstallOne(repo, 'pre-commit'), await uninstallOne(repo, 'pre-push')];
}

/** The pre-commit hook alone. */
export async function uninstallHook(repo: string): Promise<{ outcome: UninstallOutcome; status: HookStatus }> {
  return uninstallOne(repo, 'pre-commit');
}
