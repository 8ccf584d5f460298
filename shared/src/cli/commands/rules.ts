import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportRules, RULE_EXPORT_FORMATS, type RuleExportFormat } from '../../scan/rule-export.js';
import { EXIT, UsageError, type Io } from '../io.js';

export const RULES_HELP = `Usage: signus rules export --format gitleaks|secretlint|github [--output FILE]

Prints our key rule for a scanner your team already runs, generated from the same rule data as
"signus scan":
  gitleaks    a gitleaks config (TOML): gitleaks detect --config FILE
  secretlint  a .secretlintrc.json for @secretlint/secretlint-rule-pattern
  github      a GitHub secret-scanning custom pattern (the fields of Settings → Code security →
              Custom patterns)

They carry the key's shape, the token boundary and the placeholder words (and, for gitleaks, the
minimum entropy). Known keys (hashes), the name filters, signus:allow and .signusignore stay with signus.

Options:
  --format FORMAT   gitleaks, secretlint or github.
  --output FILE     Write to FILE instead of standard output.
  -h, --help        Show this help.
`;

declare const SIGNUS_VERSION: string | undefined;

export async function runRules(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      output: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (action === undefined || action === '-h' || action === '--help' || values.help) {
    io.out(RULES_HELP);
    return action === undefined ? EXIT.usage : EXIT.ok;
  }
  if (action !== 'export') throw new UsageError(`unknown action "${action}"; the only one is "export".`);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}". See signus rules --help.`);
  const format = values.format as RuleExportFormat | undefined;
  if (format === undefined || !RULE_EXPORT_FORMATS.includes(format))
    throw new UsageError(
      `--format must be one of ${RULE_EXPORT_FORMATS.join(', ')}${values.format === undefined ? '' : `, not "${values.format}"`}.`,
    );
  const text = exportRules(format, typeof SIGNUS_VERSION === 'string' ? SIGNUS_VERSION : '0.0.0-dev');
  if (values.output === undefined) {
    io.out(text);
  } else {
    const file = resolve(cwd, values.output);
    writeFileSync(file, text);
    io.err(`Wrote the ${format} rule to ${file}.\n`);
  }
  return EXIT.ok;
}
