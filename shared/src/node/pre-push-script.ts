/**
 * The pre-push hook script: the last exit before a key leaves the machine. It hands git's ref lines to
 * `signus scan --pre-push`, which scans only the commits the remote lacks, after running the pre-push hook
 * that was there before (kept beside it as pre-push.signus-chained) with the same lines.
 */
import { quotePosix } from '../curl.js';

export const PRE_PUSH_MARKER = '# signus-leak-guard-pre-push:';
export const PRE_PUSH_CHAINED_NAME = 'pre-push.signus-chained';

/** Options of `signus scan` the hook may pass on (fixed words, never user text). */
export const PRE_PUSH_SCAN_OPTIONS = ['--verify'] as const;
export type PrePushScanOption = (typeof PRE_PUSH_SCAN_OPTIONS)[number];

export function prePushScript(node: string, cli: string, options: readonly PrePushScanOption[] = []): string {
  if (options.some((o) => !PRE_PUSH_SCAN_OPTIONS.includes(o))) throw new Error('unknown pre-push scan option.');
  return `#!/bin/sh
${PRE_PUSH_MARKER} blocks a push whose new commits add a Signus API key.
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
  echo "signus: the leak guard's CLI is gone (${cli.replace(/["`$\\]/g, '')}); the push is blocked." >&2
  echo "Reinstall it with \\"signus hook install --pre-push\\", remove it with \\"signus hook uninstall\\", or push with --no-verify." >&2
  exit 1
fi
printf '%s\\n' "$refs" | exec ${quotePosix(node)} ${quotePosix(cli)} scan --pre-push "$@"${options.map((o) => ` ${o}`).join('')}
`;
}

/** The options an installed pre-push hook passes, read back from its text. */
export function prePushOptions(text: string): PrePushScanOption[] {
  return PRE_PUSH_SCAN_OPTIONS.filter((o) => new RegExp(`scan --pre-push "\\$@".* ${o}\\b`).test(text));
}
