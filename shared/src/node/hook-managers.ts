/**
 * Hook managers that own the pre-commit and pre-push hooks. Each dispatches to the user's own hooks in its own
 * way (Husky on the hook file's name), so replacing or renaming its hook silently disables the user's: we
 * detect them and say how to add the leak guard their way instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type HookManager = 'husky' | 'lefthook' | 'pre-commit' | 'simple-git-hooks';
export type HookName = 'pre-commit' | 'pre-push';

/** The portable line: no machine path, so it may go into a file the team shares. */
export const SHARED_HOOK_LINE = 'signus scan --staged || exit $?';

/**
 * The pre-push hook's portable lines. git gives the pushed refs on standard input once: they are kept, handed
 * to signus, and given back (a here-document) to whatever the shared hook runs after us, git-lfs for one.
 */
export function sharedPrePushLines(options: readonly string[] = []): string[] {
  return [
    `signus_refs=$(cat); printf '%s\\n' "$signus_refs" | signus scan --pre-push "$@"${options.map((o) => ` ${o}`).join('')} || exit $?; exec <<SIGNUS_REFS`,
    '$signus_refs',
    'SIGNUS_REFS',
  ];
}

/** What signus adds to a shared hook, below its marker line. */
export function sharedLines(hook: HookName, options: readonly string[] = []): string[] {
  return hook === 'pre-commit' ? [SHARED_HOOK_LINE] : sharedPrePushLines(options);
}

/** The `signus hook install` that adds the shared lines of this hook. */
const sharedCommand = (hook: HookName) => `signus hook install ${hook === 'pre-push' ? '--pre-push ' : ''}--shared`;

const indent = (lines: readonly string[]) => lines.map((l) => `  ${l}`).join('\n');

export interface DetectedManager {
  manager: HookManager;
  /** For Husky: the user's own hook file, where our line belongs. */
  userHook?: string;
  /** What to do instead, as the user would type it. */
  instructions: string;
}

const LEFTHOOK_CONFIGS = [
  'lefthook.yml',
  '.lefthook.yml',
  'lefthook.yaml',
  '.lefthook.yaml',
  'lefthook.json',
  '.lefthook.json',
  'lefthook.toml',
  '.lefthook.toml',
];
const SIMPLE_GIT_HOOKS_CONFIGS = [
  '.simple-git-hooks.json',
  'simple-git-hooks.json',
  '.simple-git-hooks.js',
  'simple-git-hooks.js',
  '.simple-git-hooks.cjs',
  'simple-git-hooks.cjs',
  '.simple-git-hooks.mjs',
  'simple-git-hooks.mjs',
];

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function packageJsonHas(top: string, key: string): boolean {
  const text = read(join(top, 'package.json'));
  if (text === undefined) return false;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return typeof parsed === 'object' && parsed !== null && key in parsed;
  } catch {
    return false;
  }
}

/**
 * Husky 9 sets core.hooksPath to `.husky/_`, whose `pre-commit` runs `_/h`, which runs `.husky/<its own name>`.
 * Husky 5–8 set it to `.husky`, where the user's hooks are the hook files themselves.
 */
function husky(hooksDir: string, hookText: string | undefined, hook: HookName): DetectedManager | undefined {
  const v9 =
    basename(hooksDir) === '_' && (existsSync(join(hooksDir, 'h')) || basename(dirname(hooksDir)) === '.husky');
  const v5to8 = basename(hooksDir) === '.husky' || (hookText !== undefined && /_\/husky\.sh/.test(hookText));
  if (!v9 && !v5to8) return undefined;
  const userHook = v9 ? join(dirname(hooksDir), hook) : join(hooksDir, hook);
  const lines = sharedLines(hook);
  return {
    manager: 'husky',
    userHook,
    instructions:
      `This repository's hooks are managed by Husky. Add ${lines.length > 1 ? 'these lines' : 'this line'} near ` +
      `the top of ${userHook} (Husky runs it with node_modules/.bin on PATH, so add the signus CLI as a ` +
      `devDependency):\n${indent(lines)}\nor let signus add ${lines.length > 1 ? 'them' : 'it'}: ${sharedCommand(hook)}`,
  };
}

/** What each manager's configuration needs, per hook: the command and how the manager hands git's input over. */
const SCAN: Record<HookName, string> = { 'pre-commit': 'signus scan --staged', 'pre-push': 'signus scan --pre-push' };

/** The manager that owns this repository's hook (`hook`: pre-commit or pre-push), if any we know. */
export function detectHookManager(
  top: string,
  hooksDir: string,
  hookText: string | undefined,
  hook: HookName = 'pre-commit',
): DetectedManager | undefined {
  const found = husky(hooksDir, hookText, hook);
  if (found) return found;
  if (hookText !== undefined && /\bhusky\b/.test(hookText)) {
    const command =
      hook === 'pre-commit'
        ? 'signus scan --staged'
        : 'echo \\"$HUSKY_GIT_STDIN\\" | signus scan --pre-push $HUSKY_GIT_PARAMS';
    return {
      manager: 'husky',
      instructions:
        `This ${hook} hook was written by Husky 4 or older, which runs hooks by their file name. Add ` +
        `"${command}" to the "${hook}" entry of "husky.hooks" in package.json.`,
    };
  }
  if (
    LEFTHOOK_CONFIGS.some((name) => existsSync(join(top, name))) ||
    (hookText !== undefined && /lefthook/i.test(hookText))
  ) {
    const run = hook === 'pre-commit' ? SCAN[hook] : `${SCAN[hook]} {1} {2}\n      use_stdin: true`;
    return {
      manager: 'lefthook',
      instructions:
        'This repository uses lefthook. Add to lefthook.yml, then run "lefthook install":\n' +
        `${hook}:\n  commands:\n    signus-leak-guard:\n      run: ${run}`,
    };
  }
  if (
    existsSync(join(top, '.pre-commit-config.yaml')) ||
    (hookText !== undefined && /pre-commit\.com|generated by pre-commit/i.test(hookText))
  ) {
    // The framework reads git's pre-push input itself and hands over only the first ref's range (none when
    // that branch starts at a root commit): --unpushed scans all that the remote lacks instead.
    const entry = hook === 'pre-commit' ? SCAN[hook] : 'signus scan --unpushed';
    return {
      manager: 'pre-commit',
      instructions:
        'This repository uses the pre-commit framework. Add to .pre-commit-config.yaml, then run ' +
        `"pre-commit install${hook === 'pre-push' ? ' --hook-type pre-push' : ''}":\n` +
        '  - repo: local\n    hooks:\n' +
        `      - id: signus-${hook === 'pre-commit' ? 'leak' : 'push'}-guard\n        name: signus ${hook === 'pre-commit' ? 'leak' : 'push'} guard\n` +
        `        entry: ${entry}\n        language: system\n        pass_filenames: false\n        stages: [${hook}]`,
    };
  }
  if (
    SIMPLE_GIT_HOOKS_CONFIGS.some((name) => existsSync(join(top, name))) ||
    packageJsonHas(top, 'simple-git-hooks') ||
    (hookText !== undefined && /simple-git-hooks|SKIP_SIMPLE_GIT_HOOKS/.test(hookText))
  ) {
    const command = hook === 'pre-commit' ? SCAN[hook] : `${SCAN[hook]} \\"$@\\"`;
    return {
      manager: 'simple-git-hooks',
      instructions:
        'This repository uses simple-git-hooks, which rewrites the hook on every run. Add the command to its ' +
        'configuration (e.g. in package.json), then run "npx simple-git-hooks":\n' +
        `  "simple-git-hooks": { "${hook}": "${command} && <what runs there now>" }`,
    };
  }
  return undefined;
}
