import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDoctor, type CanaryOutcome, type DoctorReport } from '../../node/doctor.js';
import { EXIT, painter, UsageError, type Io } from '../io.js';

export const DOCTOR_HELP = `Usage: signus doctor [--repo DIR] [--pre-push] [--json]

Proves that the leak guard protects this repository. It checks where git looks for hooks
(core.hooksPath; Husky, pre-commit, lefthook), that the pre-commit hook is there, executable and
calls signus; then it commits a canary (an obviously fake, key-shaped secret) with the real
"git commit" in a throw-away worktree, so the real hook runs, and reports what happened.

When a signus pre-push hook is installed (or --pre-push asks for one), it checks that hook the same
way and pushes a canary commit with the real "git push" to a throw-away bare repository in a
temporary folder, so the real pre-push hook runs. The worktree and the temporary remote are removed
afterwards; no branch, tag, remote, config entry or other ref is touched.

Options:
  --repo DIR   The repository (default: the current directory).
  --pre-push   Also require the pre-push hook (checked anyway when it is installed).
  --json       Print one JSON object.
  -h, --help   Show this help.

Exit codes: 0 the canary commit (and push) was blocked by the leak guard; 1 it was not (the checks
say why); 2 bad usage or not a git repository.
`;

export async function runDoctorCommand(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      repo: { type: 'string' },
      json: { type: 'boolean', default: false },
      'pre-push': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(DOCTOR_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}". See signus doctor --help.`);
  const report = await runDoctor(resolve(cwd, values.repo ?? '.'), { env: io.env, prePush: values['pre-push'] }).catch(
    (error: Error) => {
      throw new UsageError(error.message);
    },
  );
  io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : render(report, io.color));
  return report.protected ? EXIT.ok : EXIT.failed;
}

function render(report: DoctorReport, color: boolean): string {
  const paint = painter(color);
  const lines = [`signus doctor: ${report.repo}`, ''];
  for (const check of report.checks) {
    const mark = check.info ? paint('dim', '·') : check.ok ? paint('green', '✓') : paint('red', '✗');
    lines.push(`${mark} ${check.detail}`);
    if (!check.ok && check.fix) lines.push(`    fix: ${check.fix}`);
  }
  if (report.canary) lines.push('', ...renderCanary(report.canary, 'commit', paint));
  if (report.pushCanary) lines.push('', ...renderCanary(report.pushCanary, 'push', paint));
  const what = report.prePushExpected ? 'a commit or a push' : 'a commit';
  lines.push('');
  lines.push(
    report.protected
      ? paint(['bold', 'green'], `Protected: ${what} that adds a Signus API key is blocked in this repository.`)
      : paint(
          ['bold', 'red'],
          `NOT protected: ${what} that adds a Signus API key would not be blocked here. See the fixes above.`,
        ),
  );
  return `${lines.join('\n')}\n`;
}

const CANARY_WHERE = {
  commit: { act: 'a canary commit in a throw-away worktree', left: 'the worktree is removed and no ref changed' },
  push: {
    act: 'a canary push to a throw-away bare remote',
    left: 'the temporary remote is removed; no ref, remote or config entry changed',
  },
};

function renderCanary(canary: CanaryOutcome, kind: 'commit' | 'push', paint: ReturnType<typeof painter>): string[] {
  const { act, left } = CANARY_WHERE[kind];
  const lines: string[] = [];
  if (canary.blockedBySignus)
    lines.push(`${paint('green', '✓')} ${act} was blocked by the leak guard (git exit ${canary.exitCode}).`);
  else if (canary.blocked)
    lines.push(
      `${paint('red', '✗')} a canary ${kind} was refused (git exit ${canary.exitCode}), but not by the leak guard: its output does not name the canary.`,
    );
  else if (canary.exitCode === 0) lines.push(`${paint('red', '✗')} ${act} went through: nothing blocked it.`);
  else lines.push(`${paint('red', '✗')} the canary ${kind} could not be tried.`);
  const shown = canary.output.trim();
  if (shown) lines.push(...shown.split('\n').map((l) => `    │ ${l}`));
  lines.push(
    canary.cleanedUp
      ? `${paint('green', '✓')} nothing left behind: ${left}.`
      : `${paint('red', '✗')} clean-up problem: ${canary.cleanupProblem ?? 'unknown'}`,
  );
  return lines;
}
