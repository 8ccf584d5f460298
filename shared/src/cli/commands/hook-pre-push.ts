/** The pre-push half of `signus hook`: what install, uninstall and status say about it. */
import {
  installPrePushHook,
  uninstallPrePushHook,
  type PrePushScanOption,
  type PrePushStatus,
} from '../../node/pre-push-hook.js';

export async function installPrePush(
  repo: string,
  node: string,
  cli: string,
  options: readonly PrePushScanOption[] = [],
): Promise<string> {
  const { outcome, status } = await installPrePushHook(repo, node, cli, options);
  const lines = [`${outcome === 'updated' ? 'Updated' : 'Installed'} the signus pre-push hook in ${status.hookPath}.`];
  if (outcome === 'installed-chained')
    lines.push(`The pre-push hook that was there runs first; it is kept as ${status.chained}.`);
  lines.push('Pushes whose new commits add a Signus API key are now blocked. To push anyway: git push --no-verify');
  if (options.includes('--verify'))
    lines.push(
      'Keys it finds are verified live (--verify) against SIGNUS_BASE_URL (default https://api.signus.ai), with SIGNUS_ACCOUNT_ID or the Account ID written next to the key.',
    );
  return `${lines.join('\n')}\n`;
}

export async function uninstallPrePush(repo: string): Promise<string> {
  const outcome = await uninstallPrePushHook(repo);
  if (outcome === 'restored') return 'Removed the signus pre-push hook and put back the previous one.\n';
  return outcome === 'removed' ? 'Removed the signus pre-push hook.\n' : '';
}

export function describePrePush(status: PrePushStatus): string {
  if (!status.installed)
    return status.foreignHook
      ? `The signus pre-push hook is not installed. ${status.hookPath} is another pre-push hook.\n`
      : 'The signus pre-push hook is not installed ("signus hook install --pre-push" adds it).\n';
  const lines = [
    `The signus pre-push hook is installed: ${status.hookPath}`,
    `  runs: ${status.node} ${status.cli} scan --pre-push${status.options.map((o) => ` ${o}`).join('')}`,
  ];
  if (status.chained) lines.push(`  runs first: ${status.chained} (the hook that was there before)`);
  if (!status.runnable)
    lines.push('  WARNING: the node or CLI file it names is missing; reinstall with "signus hook install --pre-push".');
  return `${lines.join('\n')}\n`;
}
