/** `signus incident <name|fingerprint>`: find every copy of a leaked key, write the report, guide the fix. */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { parseAccountId, parseApiKeyInput, parseBaseUrl, quoteText } from '../../index.js';
import { renderIncidentJson, reportRedactor, totalCopies, type ReportStep } from '../../incident/report.js';
import {
  defaultIncidentDir,
  findIncident,
  resolveTarget,
  writeIncidentReport,
  IncidentError,
  type IncidentSession,
} from '../../node/incident/incident.js';
import {
  STEPS,
  STEP_TITLES,
  stepDelete,
  stepMarkRevoked,
  stepPurge,
  stepReplace,
  stepRotate,
  stepScrub,
  stepVerifyRevoked,
  type ApiTarget,
  type StepName,
} from '../../node/incident/steps.js';
import { INCIDENT_MAX_FILE_BYTES } from '../../node/incident/find.js';
import { EXIT, UsageError, type Io } from '../io.js';
import { promptHidden } from '../secret-input.js';
import { loadKnownKeysOption, parseSize } from './scan.js';

export const INCIDENT_HELP = `Usage: signus incident <name|fingerprint> [options]

Responds to a leaked key. First it finds every copy of the key — by fingerprint, in any encoding — in the
working trees under --root (ignored files too), their git history (every ref, stash and reflog entry; pushed
or not), and in the home folder: shell and REPL history, AI coding-agent transcripts and logs (Claude Code,
Codex, Cursor, Aider, Continue, Copilot, Cline…), API-client files (.http/.rest, Postman, Thunder Client,
Bruno) and VS Code settings and launch configurations. It writes incident.md and incident.json (the key
masked and its fingerprint, never the key). Then the fix, one step at a time, each skippable:

  rotate   create a new key (in the Signus app; the new key is then tested)
  replace  replace the old key with the new one in working-tree, API-client and VS Code files (backups kept)
  purge    rewrite a fresh mirror clone with git filter-repo, verify the key is gone, SHOW the force-push
           commands (never run them)
  scrub    replace the key with a marker in shell history and transcripts (backups kept)
  delete   delete the old key in the Signus app (the API cannot: it says where)
  verify   the key test with the old key must answer 401
  mark     record the fingerprint as revoked: later scans and the hook say "revoked key"

The key is named by its label in the known-keys file, or by its SHA-256 fingerprint (as scan findings
show it): that is enough to find it. The key itself (standard input with --key-stdin, or SIGNUS_API_KEY
when it is that key) is read back from the first copy otherwise, and is needed for every fix step.

Options:
  --root DIR           A folder to search (repeatable). Default: the current folder.
  --home DIR           The home folder to search. Default: $HOME. --no-home: none.
  --no-history         Do not read git history.
  --report DIR         Where the report, backups and purge mirrors go (0700).
                       Default: ~/.local/state/signus/incidents/<time>.
  --known-keys FILE    The known-keys file (default: the per-user one). --no-known-keys: none.
  --key-stdin          Read the old key from standard input (at a terminal: asked for, input hidden).
  --new-key-stdin      Read the new key from standard input (after the old key, on the next line, with
                       --key-stdin). Default: SIGNUS_NEW_API_KEY.
  --steps LIST         The fix steps to offer, comma-separated, or "all" (default), or "none".
  --yes                Run the steps without asking. Without it, steps are asked one by one in a
                       terminal, and not run at all when standard input is not one.
  --account-id ID      For the key tests (default SIGNUS_ACCOUNT_ID, then ACCOUNT_ID).
  --base-url URL       For the key tests (default SIGNUS_BASE_URL, then BASE_URL, then production).
  --max-file-size SIZE Larger files are listed as not searched (default 64MB).
  --json               Print the report as JSON on stdout (what incident.json holds).
  -h, --help           Show this help.

Exit codes: 0 no copy found, or the response is complete (the key answered 401 and every step run
succeeded); 1 copies found and the key is not confirmed revoked (steps skipped or left to you);
2 bad usage or input; 3 a step failed (copies left, purge not verified, the old key still works).
`;

export async function runIncident(args: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      root: { type: 'string', multiple: true },
      home: { type: 'string' },
      'no-home': { type: 'boolean', default: false },
      'no-history': { type: 'boolean', default: false },
      report: { type: 'string' },
      'known-keys': { type: 'string' },
      'no-known-keys': { type: 'boolean', default: false },
      'key-stdin': { type: 'boolean', default: false },
      'new-key-stdin': { type: 'boolean', default: false },
      steps: { type: 'string' },
      yes: { type: 'boolean', default: false },
      'account-id': { type: 'string' },
      'base-url': { type: 'string' },
      'max-file-size': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(INCIDENT_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw new UsageError('name one key: signus incident <name|fingerprint> (see signus incident --help).');
  const steps = parseSteps(values.steps ?? 'all');
  const { knownKeys, knownKeysFile } = loadKnownKeysOption(values, io, cwd);
  const { oldKey, newKey } = await readKeys(io, values['key-stdin'], values['new-key-stdin']);
  const api = apiTarget(values['account-id'], values['base-url'], io);

  let target;
  try {
    target = await resolveTarget(positionals[0]!, knownKeys, oldKey);
  } catch (error) {
    if (error instanceof IncidentError) throw new UsageError(error.message);
    throw error;
  }
  const roots = (values.root ?? [cwd]).map((r) => resolve(cwd, r));
  for (const r of roots) {
    try {
      readFileSync(r);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EISDIR')
        throw new UsageError(`--root ${quoteText(r)} is not a folder.`);
    }
  }
  const home = values['no-home'] ? undefined : resolve(cwd, values.home ?? io.env.HOME ?? homedir());
  const dir = values.report ? resolve(cwd, values.report) : defaultIncidentDir(io.env);
  const maxFileBytes = values['max-file-size'] ? parseSize(values['max-file-size']) : INCIDENT_MAX_FILE_BYTES;

  if (!values.json) io.err(`Searching for ${quoteText(target.label)}…\n`);
  const session = await findIncident(target, {
    roots,
    home,
    exclude: [dir],
    maxFileBytes,
    history: !values['no-history'],
  });
  let written = writeIncidentReport(session, dir);
  const totals = totalCopies(session.report);
  const found = totals.copies + totals.commits;
  if (!values.json) io.err(summary(session));

  let verified = false;
  let failed = false;
  let pending = false;
  const interactive = !values.yes && io.stdin.isTTY === true && !values['key-stdin'] && !values['new-key-stdin'];
  const ask = interactive ? asker(io) : undefined;
  if (found > 0 && steps.length > 0) {
    if (!values.yes && !interactive) {
      pending = true;
      if (!values.json)
        io.err(
          `Fix steps not run (${io.stdin.isTTY ? 'a key was read with --key-stdin' : 'standard input is not a terminal'}): run again with --yes --steps LIST.\n`,
        );
    } else {
      for (const name of steps) {
        if (ask && !(await ask(`${STEP_TITLES[name]}? [y/N] `))) {
          session.report.steps.push({ step: STEP_TITLES[name], status: 'skipped', lines: ['Skipped.'] });
          pending = true;
          continue;
        }
        let step: ReportStep;
        if (name === 'rotate') step = await stepRotate(newKey, api);
        else if (name === 'replace') step = stepReplace(session, newKey, dir);
        else if (name === 'purge') step = (await stepPurge(session, dir)).step;
        else if (name === 'scrub') step = stepScrub(session, dir);
        else if (name === 'delete') {
          step = stepDelete();
          if (ask) await ask(`${step.lines[0]}\nPress Enter once it is deleted. `);
        } else if (name === 'verify') {
          const v = await stepVerifyRevoked(session, api);
          verified = v.revoked;
          step = { step: v.step, status: v.status, lines: v.lines };
        } else step = await stepMarkRevoked(session, verified, knownKeysFile ?? undefined);
        session.report.steps.push(step);
        failed ||= step.status === 'failed';
        pending ||= step.status === 'skipped';
        if (!values.json) io.err(`${step.step}: ${step.status}\n${step.lines.map((l) => `  ${l}\n`).join('')}`);
      }
      written = writeIncidentReport(session, dir);
    }
  }
  if (values.json) io.out(reportRedactor(session.matcher.secret)(renderIncidentJson(session.report)));
  else io.err(`Report: ${written.markdown}\n`);
  if (found === 0) return EXIT.ok;
  if (failed) return EXIT.noAnswer;
  return verified && !pending ? EXIT.ok : EXIT.failed;
}

function parseSteps(raw: string): StepName[] {
  if (raw === 'all') return [...STEPS];
  if (raw === 'none' || raw === '') return [];
  const names = raw.split(',').map((s) => s.trim());
  for (const n of names)
    if (!(STEPS as readonly string[]).includes(n))
      throw new UsageError(`--steps takes ${STEPS.join(',')}, "all" or "none", not ${quoteText(n)}.`);
  // Always in the order that makes sense: a key is revoked before it is marked, rotated before replaced.
  return STEPS.filter((s) => names.includes(s));
}

async function readKeys(
  io: Io,
  oldFromStdin: boolean,
  newFromStdin: boolean,
): Promise<{ oldKey: string | undefined; newKey: string | undefined }> {
  let lines: string[] = [];
  if ((oldFromStdin || newFromStdin) && io.stdin.isTTY) {
    // Typed or pasted at a terminal: read each key without echoing it, never to end-of-file on screen.
    if (oldFromStdin) lines.push(await promptHidden(io, 'Paste the leaked Signus API key (input hidden): '));
    if (newFromStdin) lines.push(await promptHidden(io, 'Paste the new Signus API key (input hidden): '));
  } else if (oldFromStdin || newFromStdin) {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.length > 64 * 1024) throw new UsageError('Standard input is too large to hold API keys (over 64 KiB).');
    lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  }
  const take = (raw: string | undefined, source: string): string | undefined => {
    if (raw === undefined) return undefined;
    const parsed = parseApiKeyInput(raw);
    if (!parsed.key)
      throw new UsageError(`The key from ${source} cannot be used: ${parsed.problem?.message ?? 'unknown problem'}`);
    return parsed.key;
  };
  const oldKey = oldFromStdin
    ? take(lines.shift() ?? '', 'standard input')
    : take(io.env.SIGNUS_API_KEY, 'SIGNUS_API_KEY');
  const newKey = newFromStdin
    ? take(lines.shift() ?? '', 'standard input (the new key)')
    : take(io.env.SIGNUS_NEW_API_KEY, 'SIGNUS_NEW_API_KEY');
  return { oldKey, newKey };
}

function apiTarget(accountRaw: string | undefined, baseRaw: string | undefined, io: Io): ApiTarget | undefined {
  const raw = accountRaw ?? io.env.SIGNUS_ACCOUNT_ID ?? io.env.ACCOUNT_ID;
  if (raw === undefined) return undefined;
  const account = parseAccountId(raw);
  if (!account.accountId) throw new UsageError(`Bad Account ID: ${account.problem?.message}`);
  const base = parseBaseUrl(baseRaw ?? io.env.SIGNUS_BASE_URL ?? io.env.BASE_URL);
  if (!base.baseUrl) throw new UsageError(`Bad base URL: ${base.problem?.message}`);
  return { accountId: account.accountId, baseUrl: base.baseUrl };
}

function asker(io: Io): (question: string) => Promise<boolean> {
  return async (question) => {
    const rl = createInterface({ input: io.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(question)).trim());
    } finally {
      rl.close();
    }
  };
}

function summary(session: IncidentSession): string {
  const r = session.report;
  const t = totalCopies(r);
  const lines = [
    `Key ${r.key.masked} (${quoteText(r.key.label)}), fingerprint ${r.key.fingerprint.slice(0, 16)}…`,
    `${t.copies} ${t.copies === 1 ? 'copy' : 'copies'} in ${t.files} ${t.files === 1 ? 'file' : 'files'}; ${t.commits} in git history (${t.pushed} pushed).`,
    ...(r.matchedWithKey ? [] : ['Matched by fingerprint only: give the key (--key-stdin) to find every encoding.']),
  ];
  return `${lines.join('\n')}\n`;
}
