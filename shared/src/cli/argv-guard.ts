import { containsKeyShaped, quoteText } from '../index.js';

/** An option that asks for a key by name, with or without a value glued on. */
const KEY_OPTION = /^--?(key|api-key|apikey|secret|token)(=|$)/i;

/**
 * Keys never come from the command line, where they reach shell history and the process list. Checked
 * once, on the whole argv before any command runs, so every command (and every future one) refuses an
 * argument with key-shaped text anywhere in it (`"$KEY,"`, `--baseline=sk_…`, a path, `acct_sk_…`).
 * Returns the message to print (the argument quoted masked), or undefined when argv is clean.
 */
export function keyArgumentProblem(argv: readonly string[]): string | undefined {
  const shaped = argv.findIndex(containsKeyShaped);
  const option = argv.findIndex((arg) => KEY_OPTION.test(arg));
  if (shaped === -1 && option === -1) return undefined;
  const at = shaped !== -1 ? shaped : option;
  return (
    `An API key must not be given on the command line (argument ${at + 1}: ${quoteText(argv[at]!)}): it would be kept ` +
    'in your shell history and shown to other users in the process list. For "signus test", set SIGNUS_API_KEY, ' +
    'or pipe the key in with --key-stdin.' +
    (shaped !== -1 ? '\nIf that was a real key, remove it from your shell history.' : '')
  );
}
