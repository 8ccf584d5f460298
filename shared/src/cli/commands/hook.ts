import { existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  hookStatus,
  installHooks,
  uninstallHooks,
  visiblePath,
  type HookName,
  type HookResult,
  type HookStatus,
  type InstallOutcome,
  type UninstallOutcome,
} from '../../node/hook.js';
import { sharedLines } from '../../node/hook-managers.js';
import { displayName, quoteText } from '../../index.js';
import { EXIT, UsageError, type Io } from '../io.js';

export const HOOK_HELP = `Usage: signus hook install [--pre-push [--verify]] [--repo DIR] [--node PATH] [--shared] [--known-keys FILE]
       signus hook uninstall [--repo DIR]
       signus hook status [--repo DIR] [--json]

Manages the git pre-commit hook that runs "signus scan --staged" and blocks a commit that adds a
Signus API key. It goes into the repository's effective hooks directory (core.hooksPath is honoured).
An existing pre-commit hook is kept and run first; uninstall puts it back. Installing twice is safe.

Hooks the team shares are left alone unless --shared is given: a Husky-managed repository (the lines go
into .husky/pre-commit and .husky/pre-push) or a core.hooksPath folder that git tracks. There signus writes
portable lines that run "signus" from PATH, never this machine's node or CLI path. lefthook, the pre-commit
framework and simple-git-hooks own the hooks: install refuses and prints what to add to their configuration.
Both hooks are checked before either is written: a refusal changes nothing.

The hook runs node on this CLI file directly (no npx, which would add ~340 ms to every commit).
To commit past it once: git commit --no-verify

With --pre-push it also installs a pre-push hook: it scans the commits a push would send that the remote
does not have yet (content and messages) and blocks the push if they add a key. To push past it once:
git push --no-verify. status and uninstall cover both hooks.

Options:
  --pre-push     Also install the pre-push hook.
  --verify       With --pre-push: the pre-push hook verifies the keys it finds (signus scan --verify; base
                 URL and Account ID from SIGNUS_BASE_URL and SIGNUS_ACCOUNT_ID, or next to the key).
  --repo DIR     The repository (default: the current directory).
  --node PATH    The node executable the hook runs (default: the one running this command).
  --shared       Add the portable line to a shared hook (Husky, tracked core.hooksPath); see above.
  --known-keys FILE
                 The known-keys file the hook reads when SIGNUS_KNOWN_KEYS is not set (default: the
                 per-user file). The VS Code extension passes the file it writes.
  --json         status: print one JSON object.
  -h, --help     Show this help.
`;

/** The file the hook should run: this bundled CLI, so a copy inside the VS Code extension installs itself. */
function thisCliFile(): string {
  const file = fileURLToPath(import.meta.url);
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

const RUNS: Record<HookName, string> = { 'pre-commit': 'scan --staged', 'pre-push': 'scan --pre-push' };
const installCommand = (hook: HookName) => `signus hook install${hook === 'pre-push' ? ' --pre-push' : ''}`;

function describe(status: HookStatus): string {
  const name = status.hook;
  if (!status.installed) {
    const owner = status.manager ? ` Its hooks are managed by ${status.manager}.` : '';
    const add = name === 'pre-push' ? ` ("${installCommand(name)}" adds it)` : '';
    return status.foreignHook
      ? `The signus ${name} hook is not installed. ${visiblePath(status.hookPath)} is another ${name} hook.${owner}\n`
      : `The signus ${name} hook is not installed${add} (hooks directory: ${visiblePath(status.hooksDir)}).${owner}\n`;
  }
  const options = status.options.map((o) => ` ${o}`).join('');
  if (status.mode === 'shared') {
    return `The signus ${name} line is in the shared hook ${visiblePath(status.hookPath)}: signus ${RUNS[name]}${options} (from PATH)\n`;
  }
  const lines = [
    `The signus ${name} hook is installed: ${visiblePath(status.hookPath)}`,
    `  runs: ${visiblePath(status.node ?? '')} ${visiblePath(status.cli ?? '')} ${RUNS[name]}${options}`,
  ];
  if (status.knownKeys) lines.push(`  known keys: ${visiblePath(status.knownKeys)} (unless SIGNUS_KNOWN_KEYS is set)`);
  if (status.chained) lines.push(`  runs first: ${visiblePath(status.chained)} (the hook that was there before)`);
  if (!status.runnable)
    lines.push(`  WARNING: the node or CLI file it names is missing; reinstall with "${installCommand(name)}".`);
  return `${lines.join('\n')}\n`;
}

const BLOCKS: Record<HookName, string> = {
  'pre-commit': 'Commits that add a Signus API key are now blocked. To commit anyway: git commit --no-verify',
  'pre-push': 'Pushes whose new commits add a Signus API key are now blocked. To push anyway: git push --no-verify',
};

function describeInstall({ hook, outcome, status }: HookResult<InstallOutcome>): string {
  const where = visiblePath(status.hookPath);
  const lines: string[] = [];
  if (outcome === 'added-shared' || outcome === 'shared-present') {
    lines.push(
      outcome === 'added-shared'
        ? `Added the signus ${hook === 'pre-commit' ? 'line' : `${hook} lines`} to the shared hook ${where}:`
        : `The shared hook ${where} already runs signus (${hook}); nothing changed.`,
    );
    if (outcome === 'added-shared') lines.push(...sharedLines(hook, status.options).map((l) => `  ${l}`));
    lines.push(BLOCKS[hook]);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`${outcome === 'updated' ? 'Updated' : 'Installed'} the signus ${hook} hook in ${where}.`);
  if (outcome === 'installed-chained' && status.chained)
    lines.push(`The ${hook} hook that was there runs first; it is kept as ${visiblePath(status.chained)}.`);
  lines.push(BLOCKS[hook]);
  if (status.options.includes('--verify'))
    lines.push(
      'Keys it finds are verified live (--verify) against SIGNUS_BASE_URL (default https://api.signus.ai), with SIGNUS_ACCOUNT_ID or the Account ID written next to the key.',
    );
  return `${lines.join('\n')}\n`;
}

// The pre-commit messages are those of earlier versions (scripts and the VS Code extension read them).
function describeUninstall({ hook, outcome, status }: HookResult<UninstallOutcome>): string {
  const where = visiblePath(status.hookPath);
  const name = hook === 'pre-commit' ? 'signus hook' : `signus ${hook} hook`;
  switch (outcome) {
    case 'not-installed':
      // The pre-push hook is opt-in: not having it is not news.
      return hook === 'pre-commit'
        ? `The signus hook was not installed in ${visiblePath(status.hooksDir)}; nothing changed.\n`
        : '';
    case 'removed-shared':
      return `Removed the signus ${hook === 'pre-commit' ? 'line' : `${hook} lines`} from the shared hook ${where}.\n`;
    case 'restored':
      return `Removed the ${name} and put back the previous ${hook} hook (${where}).\n`;
    default:
      return `Removed the ${name} (${where}).\n`;
  }
}

export async function runHook(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      repo: { type: 'string' },
      node: { type: 'string' },
      shared: { type: 'boolean', default: false },
      'known-keys': { type: 'string' },
      json: { type: 'boolean', default: false },
      'pre-push': { type: 'boolean', default: false },
      verify: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (action === undefined || action === '-h' || action === '--help' || values.help) {
    io.out(HOOK_HELP);
    return action === undefined ? EXIT.usage : EXIT.ok;
  }
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${quoteText(positionals[0]!)}. See signus hook --help.`);
  if (values.verify && !(action === 'install' && values['pre-push']))
    throw new UsageError('--verify goes with install --pre-push (the pre-commit hook never sends keys anywhere).');
  const repo = resolve(cwd, values.repo ?? '.');
  if (!existsSync(repo)) throw new UsageError(`no such folder: ${displayName(repo)}`);
  if (!statSync(repo).isDirectory()) throw new UsageError(`--repo must be a folder; ${displayName(repo)} is not one.`);
  const wrap = <T>(p: Promise<T>) =>
    p.catch((error: Error) => {
      throw new UsageError(error.message);
    });

  switch (action) {
    case 'install': {
      const node = values.node !== undefined ? resolve(cwd, values.node) : process.execPath;
      const knownKeys = values['known-keys'] !== undefined ? resolve(cwd, values['known-keys']) : undefined;
      const results = await wrap(
        installHooks(repo, node, thisCliFile(), {
          shared: values.shared,
          knownKeys,
          prePush: values['pre-push'],
          prePushOptions: values.verify ? ['--verify'] : [],
        }),
      );
      io.out(results.map(describeInstall).join(''));
      if (results.some((r) => r.status.mode === 'shared'))
        io.out(
          'The shared lines run "signus" from PATH on every clone: make the signus CLI a devDependency (Husky puts ' +
            'node_modules/.bin on PATH) and commit the change.\n',
        );
      return EXIT.ok;
    }
    case 'uninstall': {
      const results = await wrap(uninstallHooks(repo));
      io.out(results.map(describeUninstall).join(''));
      return EXIT.ok;
    }
    case 'status': {
      const status = await wrap(hookStatus(repo, 'pre-commit'));
      const prePush = await wrap(hookStatus(repo, 'pre-push'));
      io.out(
        values.json ? `${JSON.stringify({ ...status, prePush }, null, 2)}\n` : describe(status) + describe(prePush),
      );
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown action ${quoteText(action)}: use install, uninstall or status.`);
  }
}
