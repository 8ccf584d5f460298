import { existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hookStatus, installHook, uninstallHook, visiblePath, type HookStatus } from '../../node/hook.js';
import { prePushStatus } from '../../node/pre-push-hook.js';
import { displayName, quoteText } from '../../index.js';
import { EXIT, UsageError, type Io } from '../io.js';
import { describePrePush, installPrePush, uninstallPrePush } from './hook-pre-push.js';

export const HOOK_HELP = `Usage: signus hook install [--pre-push [--verify]] [--repo DIR] [--node PATH] [--shared] [--known-keys FILE]
       signus hook uninstall [--repo DIR]
       signus hook status [--repo DIR] [--json]

Manages the git pre-commit hook that runs "signus scan --staged" and blocks a commit that adds a
Signus API key. It goes into the repository's effective hooks directory (core.hooksPath is honoured).
An existing pre-commit hook is kept and run first; uninstall puts it back. Installing twice is safe.

Hooks the team shares are left alone unless --shared is given: a Husky-managed repository (the line goes
into .husky/pre-commit) or a core.hooksPath folder that git tracks. There signus writes one portable line,
"signus scan --staged || exit $?", never this machine's node or CLI path. lefthook, the pre-commit
framework and simple-git-hooks own the hook: install refuses and prints what to add to their configuration.

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

function describe(status: HookStatus): string {
  if (!status.installed) {
    const owner = status.manager ? ` Its hooks are managed by ${status.manager}.` : '';
    return status.foreignHook
      ? `The signus hook is not installed. ${visiblePath(status.hookPath)} is another pre-commit hook.${owner}\n`
      : `The signus hook is not installed (hooks directory: ${visiblePath(status.hooksDir)}).${owner}\n`;
  }
  if (status.mode === 'shared') {
    return `The signus line is in the shared hook ${visiblePath(status.hookPath)}: signus scan --staged (from PATH)\n`;
  }
  const lines = [
    `The signus pre-commit hook is installed: ${visiblePath(status.hookPath)}`,
    `  runs: ${visiblePath(status.node ?? '')} ${visiblePath(status.cli ?? '')} scan --staged`,
  ];
  if (status.knownKeys) lines.push(`  known keys: ${visiblePath(status.knownKeys)} (unless SIGNUS_KNOWN_KEYS is set)`);
  if (status.chained) lines.push(`  runs first: ${visiblePath(status.chained)} (the hook that was there before)`);
  if (!status.runnable)
    lines.push('  WARNING: the node or CLI file it names is missing; reinstall with "signus hook install".');
  return `${lines.join('\n')}\n`;
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
      const { outcome, status } = await wrap(
        installHook(repo, node, thisCliFile(), { shared: values.shared, knownKeys }),
      );
      const where = visiblePath(status.hookPath);
      if (outcome === 'added-shared' || outcome === 'shared-present') {
        io.out(
          outcome === 'added-shared'
            ? `Added the signus line to the shared hook ${where}: signus scan --staged || exit $?\n`
            : `The shared hook ${where} already runs signus; nothing changed.\n`,
        );
        io.out(
          'It runs "signus" from PATH on every clone: make the signus CLI a devDependency (Husky puts ' +
            'node_modules/.bin on PATH) and commit the change. To commit anyway: git commit --no-verify\n',
        );
        if (values['pre-push'])
          io.out(
            'The pre-push hook was not installed: these hooks are shared. Add this line to the pre-push hook ' +
              'beside it (for Husky, .husky/pre-push): signus scan --pre-push "$@" || exit $?\n',
          );
        return EXIT.ok;
      }
      const verb = outcome === 'updated' ? 'Updated' : 'Installed';
      io.out(`${verb} the signus pre-commit hook in ${where}.\n`);
      if (outcome === 'installed-chained' && status.chained)
        io.out(`The hook that was there runs first; it is kept as ${visiblePath(status.chained)}.\n`);
      io.out('Commits that add a Signus API key are now blocked. To commit anyway: git commit --no-verify\n');
      if (values['pre-push'])
        io.out(await wrap(installPrePush(repo, node, thisCliFile(), values.verify ? ['--verify'] : [])));
      return EXIT.ok;
    }
    case 'uninstall': {
      const { outcome, status } = await wrap(uninstallHook(repo));
      const where = visiblePath(status.hookPath);
      if (outcome === 'not-installed')
        io.out(`The signus hook was not installed in ${visiblePath(status.hooksDir)}; nothing changed.\n`);
      else if (outcome === 'removed-shared') io.out(`Removed the signus line from the shared hook ${where}.\n`);
      else if (outcome === 'restored')
        io.out(`Removed the signus hook and put back the previous pre-commit hook (${where}).\n`);
      else io.out(`Removed the signus hook (${where}).\n`);
      io.out(await wrap(uninstallPrePush(repo)));
      return EXIT.ok;
    }
    case 'status': {
      const status = await wrap(hookStatus(repo));
      const prePush = await wrap(prePushStatus(repo));
      io.out(
        values.json
          ? `${JSON.stringify({ ...status, prePush }, null, 2)}\n`
          : describe(status) + describePrePush(prePush),
      );
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown action ${quoteText(action)}: use install, uninstall or status.`);
  }
}
