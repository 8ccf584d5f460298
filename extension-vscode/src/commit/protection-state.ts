// What signus doctor's checks say about a repository's pre-commit hook, as the status item and the walkthrough
// show it: installed and working, missing, or installed but broken. Pure, for tests; the canary commit is left
// to an explicit click (it runs the user's own hooks).

/** The part of a doctor check this reads (shared/src/node/doctor.ts). */
export interface CheckLike {
  id: string;
  ok: boolean;
  info?: boolean;
  detail: string;
  fix?: string;
}

export type ProtectionState = 'protected' | 'missing' | 'broken';

export interface Protection {
  state: ProtectionState;
  /** The failing check that decided it (missing or broken). */
  problem?: CheckLike;
}

/** The pre-commit hook's checks decide; pre-push is opt-in and `signus doctor --pre-push` reports it. */
export function protectionOf(checks: readonly CheckLike[]): Protection {
  const hook = checks.filter((c) => c.id.startsWith('hook-') && !c.info);
  const present = hook.find((c) => c.id === 'hook-present');
  const calls = hook.find((c) => c.id === 'hook-calls-signus');
  if (!present?.ok) return { state: 'missing', ...(present && { problem: present }) };
  if (calls && !calls.ok) return { state: 'missing', problem: calls };
  const failed = hook.find((c) => !c.ok);
  return failed ? { state: 'broken', problem: failed } : { state: 'protected' };
}

export interface StatusLook {
  text: string;
  tooltip: string;
  warning: boolean;
}

export function statusLook(name: string, p: Protection): StatusLook {
  switch (p.state) {
    case 'protected':
      return {
        text: '$(shield) Signus: protected',
        tooltip: `Signus: the pre-commit hook in ${name} is installed and works (signus doctor): a commit that adds an API key is blocked. Click to prove it with a canary commit.`,
        warning: false,
      };
    case 'missing':
      return {
        text: '$(circle-slash) Signus: no hook',
        tooltip: `Signus: no pre-commit hook in ${name} checks commits for API keys${p.problem ? ` (${p.problem.detail})` : ''}. Click to install it.`,
        warning: false,
      };
    case 'broken':
      return {
        text: '$(warning) Signus: hook broken',
        tooltip: `Signus: the pre-commit hook in ${name} is installed but broken: ${p.problem?.detail ?? 'see signus doctor'}.${p.problem?.fix ? ` Fix: ${p.problem.fix}.` : ''} Click to repair it or see the details.`,
        warning: true,
      };
  }
}
