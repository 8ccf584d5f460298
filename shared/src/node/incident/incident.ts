/**
 * One incident, as every surface runs it: name the key (a known-keys label, a fingerprint, or the key
 * itself), find its copies, write the report, then the fix steps. The CLI and the VS Code command only
 * ask and show; the decisions are here.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fingerprintSecret, knownKeyFingerprints, type KnownKeySet } from '../../scan/index.js';
import { maskSecret } from '../../mask.js';
import { KeyMatcher } from '../../incident/match.js';
import {
  actionFor,
  renderIncidentJson,
  renderIncidentMarkdown,
  reportRedactor,
  type IncidentReport,
  type ReportStep,
} from '../../incident/report.js';
import { findKeyCopies, INCIDENT_MAX_FILE_BYTES, type FindOptions, type IncidentFindings } from './find.js';
import { signusConfigDir } from '../known-keys-file.js';

export class IncidentError extends Error {
  override readonly name = 'IncidentError';
}

const HEX64 = /^[0-9a-f]{64}$/i;

export interface ResolvedTarget {
  label: string;
  fingerprints: string[];
  /** The key's own SHA-256 when known (the report's fingerprint), else the one given. */
  fingerprint: string;
  secret?: string;
  /** Why a key that was offered was not used (it is another key). */
  note?: string;
}

/**
 * The key an incident is about, from `nameOrFingerprint` (a known-keys label, case-insensitive, or a
 * SHA-256) and, optionally, the key itself. A key that is not the one named is not used (noted).
 */
export async function resolveTarget(
  nameOrFingerprint: string,
  knownKeys: KnownKeySet | undefined,
  secret: string | undefined,
): Promise<ResolvedTarget> {
  const wanted = nameOrFingerprint.trim();
  let fingerprints: string[] = [];
  let label = wanted;
  if (HEX64.test(wanted)) {
    const fp = wanted.toLowerCase();
    const known = knownKeys?.labels.get(fp);
    label = known ?? `key ${fp.slice(0, 12)}`;
    fingerprints = known ? fingerprintsOf(knownKeys!, known) : [fp];
  } else {
    const match = [...new Set(knownKeys?.labels.values() ?? [])].find((l) => l.toLowerCase() === wanted.toLowerCase());
    if (match) {
      label = match;
      fingerprints = fingerprintsOf(knownKeys!, match);
    }
  }
  if (secret !== undefined) {
    const own = await fingerprintSecret(secret);
    if (fingerprints.length > 0 && !fingerprints.includes(own)) {
      return {
        label,
        fingerprints,
        fingerprint: fingerprints[0]!,
        note: 'The key given (SIGNUS_API_KEY or standard input) is another key than the one named: it was not used.',
      };
    }
    return { label, fingerprints: await knownKeyFingerprints(secret), fingerprint: own, secret };
  }
  if (fingerprints.length === 0) {
    const names = [...new Set(knownKeys?.labels.values() ?? [])];
    throw new IncidentError(
      `no key named "${wanted}" in the known-keys file${names.length ? ` (its keys: ${names.join(', ')})` : ' (none there)'}. ` +
        'Name a key from it, give its SHA-256 fingerprint (as scan findings show it), or give the key on standard input.',
    );
  }
  return { label, fingerprints, fingerprint: fingerprints[0]! };
}

function fingerprintsOf(knownKeys: KnownKeySet, label: string): string[] {
  return [...knownKeys.labels].filter(([, l]) => l === label).map(([fp]) => fp);
}

export interface IncidentSession {
  target: ResolvedTarget;
  matcher: KeyMatcher;
  findings: IncidentFindings;
  report: IncidentReport;
  options: FindOptions;
}

export async function findIncident(target: ResolvedTarget, options: FindOptions): Promise<IncidentSession> {
  const matcher = new KeyMatcher({ label: target.label, fingerprints: target.fingerprints });
  if (target.secret) matcher.useSecret(target.secret);
  const findings = await findKeyCopies(matcher, options);
  const secret = matcher.secret;
  const fingerprint = secret ? await fingerprintSecret(secret) : target.fingerprint;
  const report: IncidentReport = {
    version: 1,
    generatedAt: new Date().toISOString(),
    key: { label: target.label, masked: secret ? maskSecret(secret) : 'sk_••••••••', fingerprint },
    matchedWithKey: findings.matchedWithKey,
    searched: {
      roots: [...options.roots],
      home: options.home ?? null,
      history: options.history !== false,
      maxFileBytes: options.maxFileBytes ?? INCIDENT_MAX_FILE_BYTES,
      files: findings.stats.files,
      bytes: findings.stats.bytes,
    },
    files: findings.files.map((f) => ({
      path: f.path,
      class: f.class,
      ...(f.tool !== undefined && { tool: f.tool }),
      count: f.count,
      places: f.matches.map((m) => ({ line: m.line, column: m.column, encoding: m.encoding })),
      ...(f.inName && { inName: true }),
      action: actionFor({ ...f, binary: f.binary === true, utf16: f.utf16 === true, inName: f.inName === true }),
    })),
    history: findings.history.map((h) => ({
      repo: h.repo,
      remotes: h.remotes,
      commits: h.commits,
      ...(h.objectsWithKey !== undefined && { objectsWithKey: h.objectsWithKey }),
      ...(h.error !== undefined && { error: h.error }),
      findings: h.findings.map((f) => ({
        commit: f.introduced.commit,
        date: f.introduced.date,
        author: f.introduced.author,
        path: f.introduced.path,
        line: f.introduced.line,
        pushed: f.pushed,
        remotes: f.remotes,
        refs: f.refs,
        inHead: f.inHead,
        removedBy: f.removed?.commit ?? null,
        occurrences: f.occurrences,
      })),
    })),
    skipped: findings.skipped,
    steps: [],
  };
  if (target.note) report.steps.push({ step: 'Key', status: 'skipped', lines: [target.note] });
  return { target, matcher, findings, report, options };
}

/** Where incidents keep reports, backups and purge mirrors by default: outside every repository. */
export function defaultIncidentDir(env: NodeJS.ProcessEnv = process.env, now = new Date()): string {
  const state = env.XDG_STATE_HOME?.startsWith('/')
    ? env.XDG_STATE_HOME
    : join(env.HOME ?? homedir(), '.local', 'state');
  const stamp = now.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return process.platform === 'win32'
    ? join(signusConfigDir(env), 'incidents', stamp)
    : join(state, 'signus', 'incidents', stamp);
}

/** Writes incident.md and incident.json (0600, folder 0700), each through the key's redactor. */
export function writeIncidentReport(session: IncidentSession, dir: string): { markdown: string; json: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const safe = reportRedactor(session.matcher.secret);
  const markdown = join(dir, 'incident.md');
  const json = join(dir, 'incident.json');
  writeFileSync(markdown, safe(renderIncidentMarkdown(session.report)), { mode: 0o600 });
  writeFileSync(json, safe(renderIncidentJson(session.report)), { mode: 0o600 });
  return { markdown, json };
}

export function addStep(session: IncidentSession, step: ReportStep): void {
  session.report.steps.push(step);
}
