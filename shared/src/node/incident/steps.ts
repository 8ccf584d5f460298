/**
 * The guided fix, one function per step. Each returns what the report says about it; none asks anything
 * (the surfaces ask) and none pushes, deletes a key in Signus or touches a remote.
 */
import { join } from 'node:path';
import { maskSecret } from '../../mask.js';
import { testApiKey } from '../../key-test.js';
import type { FetchLike } from '../../http.js';
import { reportPath, safeRemote, type ReportStep } from '../../incident/report.js';
import { revokedEntryOf } from '../../incident/revoked.js';
import { markRevoked, revokedKeysPath } from '../revoked-keys-file.js';
import { replaceInFiles, scrubFiles, type RewriteResult } from './rewrite.js';
import { planPurge, type PurgePlan } from './purge.js';
import type { IncidentSession } from './incident.js';

export const STEPS = ['rotate', 'replace', 'purge', 'scrub', 'delete', 'verify', 'mark'] as const;
export type StepName = (typeof STEPS)[number];

export const STEP_TITLES: Record<StepName, string> = {
  rotate: 'Create a new key',
  replace: 'Replace the old key in files',
  purge: 'Purge it from git history (plan)',
  scrub: 'Scrub shell history and transcripts',
  delete: 'Delete the old key in Signus',
  verify: 'Verify the old key is revoked',
  mark: 'Mark the fingerprint revoked',
};

export const WHERE_TO_CREATE =
  'In the Signus app: Settings → Developer → Configuration → "Create API key"; copy the secret before closing the dialog (it is shown once).';
export const WHERE_TO_DELETE =
  "In the Signus app: Settings → Developer → the key's row → trash icon → confirm. Deletion is immediate; the key then gets 401 on every call. (The Signus API has no endpoint that deletes keys.)";

export interface ApiTarget {
  accountId: string;
  baseUrl?: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

function needKey(session: IncidentSession): string | undefined {
  return session.matcher.secret;
}

const noKey = (step: string): ReportStep => ({
  step,
  status: 'skipped',
  lines: ['The old key itself is needed and was neither given nor read back from a copy.'],
});

export async function stepRotate(newKey: string | undefined, api: ApiTarget | undefined): Promise<ReportStep> {
  const step = STEP_TITLES.rotate;
  if (newKey === undefined)
    return { step, status: 'manual', lines: [WHERE_TO_CREATE, 'Then give it to the replace step.'] };
  if (!api)
    return { step, status: 'done', lines: [`New key ${maskSecret(newKey)} given (not tested: no Account ID).`] };
  const result = await testApiKey({ secret: newKey, ...api });
  const ok = result.verdict === 'valid';
  return {
    step,
    status: ok ? 'done' : 'failed',
    lines: [
      `New key ${maskSecret(newKey)}: key test ${result.status ?? 'no answer'} (${result.verdict}).`,
      ...(ok ? [] : [`${result.hint} Fix the new key before replacing the old one with it.`]),
    ],
  };
}

function rewriteLines(results: RewriteResult[], home: string | null, verb: string): string[] {
  return results.map((r) => {
    const where = reportPath(r.path, home);
    if (r.error) return `- \`${where}\`: not changed (${r.error})`;
    const left = r.remaining > 0 ? `; ${r.remaining} left in a form it cannot rewrite: edit by hand` : '';
    return `- \`${where}\`: ${r.changed} ${verb}${left}${r.backup ? ` (backup ${reportPath(r.backup, home)})` : ''}`;
  });
}

export function stepReplace(session: IncidentSession, newKey: string | undefined, backupDir: string): ReportStep {
  const step = STEP_TITLES.replace;
  const oldKey = needKey(session);
  if (!oldKey) return noKey(step);
  if (!newKey) return { step, status: 'skipped', lines: ['No new key: create one first (step "Create a new key").'] };
  if (newKey === oldKey) return { step, status: 'failed', lines: ['The new key is the old key.'] };
  const paths = session.report.files.filter((f) => f.action === 'replace' && f.count > 0).map((f) => f.path);
  if (paths.length === 0) return { step, status: 'done', lines: ['No file to change.'] };
  const results = replaceInFiles(paths, oldKey, newKey, { backupDir: join(backupDir, 'replaced') });
  const failed = results.some((r) => r.error || r.remaining > 0);
  return {
    step,
    status: failed ? 'failed' : 'done',
    lines: [
      ...rewriteLines(results, session.report.searched.home, 'replaced'),
      'The backups hold the old key: delete them once the new key works.',
    ],
  };
}

export function stepScrub(session: IncidentSession, backupDir: string): ReportStep {
  const step = STEP_TITLES.scrub;
  const key = needKey(session);
  if (!key) return noKey(step);
  const files = session.report.files.filter((f) => f.action === 'scrub' && f.count > 0);
  const manual = session.report.files.filter((f) => f.action === 'clear-in-tool' || f.action === 'edit-by-hand');
  const home = session.report.searched.home;
  const results = scrubFiles(
    files.map((f) => f.path),
    key,
    { backupDir: join(backupDir, 'scrubbed') },
  );
  const failed = results.some((r) => r.error || r.remaining > 0);
  return {
    step,
    status: failed ? 'failed' : files.length === 0 && manual.length === 0 ? 'done' : manual.length ? 'manual' : 'done',
    lines: [
      ...rewriteLines(results, home, 'scrubbed'),
      ...manual.map(
        (f) =>
          `- \`${reportPath(f.path, home)}\`: ${f.action === 'clear-in-tool' ? "a tool's database: delete that chat or entry in the tool" : 'edit by hand'}`,
      ),
      ...(results.length
        ? [
            'A shell that is still open writes its history back when it exits: close other shells first, or run `history -c` (bash) / `fc -p` (zsh) in them.',
            'The backups hold the old key: delete them once done.',
          ]
        : ['No shell history or transcript holds the key.']),
    ],
  };
}

export async function stepPurge(
  session: IncidentSession,
  workDir: string,
): Promise<{ step: ReportStep; plans: PurgePlan[] }> {
  const step = STEP_TITLES.purge;
  const key = needKey(session);
  if (!key) return { step: noKey(step), plans: [] };
  const repos = session.findings.history.filter((h) => h.findings.length > 0 || (h.objectsWithKey ?? 0) > 0);
  if (repos.length === 0) return { step: { step, status: 'done', lines: ['No commit holds the key.'] }, plans: [] };
  const plans: PurgePlan[] = [];
  const lines: string[] = [];
  let failed = false;
  const home = session.report.searched.home;
  for (const repo of repos) {
    const remoteRefs = [...new Set(repo.findings.flatMap((f) => f.remoteRefs))];
    try {
      const plan = await planPurge({
        repo: repo.repo,
        key,
        workDir: join(workDir, 'purge'),
        remoteRefs,
        remotes: repo.remotes,
      });
      plans.push(plan);
      failed ||= !plan.verified;
      lines.push(
        `#### \`${reportPath(repo.repo, home)}\``,
        '',
        `- Rewritten mirror: \`${reportPath(plan.mirror, home)}\` — ${plan.verified ? 'verified: no object in it holds the key in any searched form' : `**not clean: ${plan.objectsWithKey} objects still hold the key**`}`,
        `- Backup: \`${reportPath(plan.backup, home)}\``,
        '',
        'Force-push commands (not run; run them yourself once the key is deleted in Signus):',
        '',
        '```sh',
        ...(plan.pushCommands.length ? plan.pushCommands.map((c) => safeRemote(c)) : ['# nothing was pushed']),
        '```',
        '',
        ...plan.notes.map((n) => `- ${n}`),
        '',
      );
    } catch (error) {
      failed = true;
      lines.push(`- \`${reportPath(repo.repo, home)}\`: ${(error as Error).message}`);
    }
  }
  return { step: { step, status: failed ? 'failed' : 'done', lines }, plans };
}

export function stepDelete(): ReportStep {
  return { step: STEP_TITLES.delete, status: 'manual', lines: [WHERE_TO_DELETE] };
}

export async function stepVerifyRevoked(
  session: IncidentSession,
  api: ApiTarget | undefined,
): Promise<ReportStep & { revoked: boolean }> {
  const step = STEP_TITLES.verify;
  const key = needKey(session);
  if (!key) return { ...noKey(step), revoked: false };
  if (!api) return { step, status: 'skipped', lines: ['No Account ID: the key test needs one.'], revoked: false };
  const result = await testApiKey({ secret: key, ...api });
  const revoked = result.status === 401;
  return {
    step,
    status: revoked ? 'done' : 'failed',
    revoked,
    lines: [
      `Key test of ${maskSecret(key)}: ${result.status ?? 'no answer'} (${result.verdict}).`,
      revoked
        ? 'The old key is rejected (401): it is revoked.'
        : result.verdict === 'valid'
          ? `The old key STILL WORKS. ${WHERE_TO_DELETE}`
          : `Not a 401, so not confirmed revoked: ${result.hint}`,
    ],
  };
}

/** Only after a 401 in this run: a fingerprint marked revoked makes later findings say "revoked key". */
export async function stepMarkRevoked(
  session: IncidentSession,
  verified: boolean,
  knownKeysFile?: string,
): Promise<ReportStep> {
  const step = STEP_TITLES.mark;
  if (!verified) return { step, status: 'skipped', lines: ['Only after "Verify the old key is revoked" saw a 401.'] };
  const key = session.matcher.secret;
  const path = revokedKeysPath(knownKeysFile);
  const revokedAt = new Date().toISOString();
  markRevoked(
    key
      ? await revokedEntryOf(session.target.label, key, revokedAt)
      : {
          label: session.target.label,
          masked: session.report.key.masked,
          revokedAt,
          fingerprints: [...session.target.fingerprints],
        },
    path,
  );
  return {
    step,
    status: 'done',
    lines: [
      `Added to ${reportPath(path, session.report.searched.home)}: later scans and the hook call a copy "revoked key".`,
    ],
  };
}
