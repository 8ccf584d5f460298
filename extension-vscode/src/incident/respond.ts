// "Signus: Respond to a Leaked Key": the same incident core as `signus incident`, asked step by step in modals.
// The key comes from SecretStorage, so every encoding of it is looked for from the start; the report opens in
// an editor (Markdown, no key in it).
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { parseApiKeyInput, totalCopies, type IncidentReport, type ReportStep } from '@signus/shared';
import type { StepName } from '@signus/shared/node';
import type { Services } from '../services.js';
import { UserError } from '../commands/errors.js';
import { pickKey } from '../commands/pick-key.js';
import { openDeveloperSettings } from '../commands/key-actions.js';
import { setting } from '../config.js';

export interface RespondArgs {
  name?: string;
  /** Folders to search (default: the workspace folders). */
  roots?: string[];
  /** The home folder to search; false: none (default: the user's home). */
  home?: string | false;
  reportDir?: string;
  /** Which steps to run, without asking (for code and tests); absent: each is asked in a modal. */
  steps?: Partial<Record<StepName, boolean>>;
  newSecret?: string;
  /** Default true. */
  openReport?: boolean;
}

export interface RespondOutcome {
  reportPath: string;
  report: IncidentReport;
}

const STEP_DETAIL: Record<StepName, string> = {
  rotate:
    'Create a new key in Signus (Settings → Developer → Create API key), then paste it: it is tested and stored in place of the leaked one.',
  replace:
    "The leaked key becomes the new one in workspace files, API-client files and VS Code settings, in each copy's own form. Each file is backed up first.",
  purge:
    'A fresh mirror clone of each repository whose history holds the key is rewritten with git filter-repo and checked. The force-push commands go into the report; nothing is pushed.',
  scrub:
    'In shell history and AI-agent transcripts the key becomes [signus-key-removed]. Each file is backed up first. Close other terminals first: a shell writes its history back on exit.',
  delete:
    'The Signus API cannot delete keys: delete it in the Signus app (Settings → Developer → trash icon). Applications still using it get 401 at once.',
  verify: 'The key test with the leaked key must now answer 401.',
  mark: 'The fingerprint is recorded as revoked: later scans and the commit hook call a copy "revoked key".',
};

export async function respondToLeak(services: Services, arg?: unknown): Promise<RespondOutcome | undefined> {
  const { store, log } = services;
  const args = (typeof arg === 'object' && arg !== null && !('record' in arg) ? arg : {}) as RespondArgs;
  const record = await pickKey(store, typeof args.name === 'string' ? { name: args.name } : arg, 'Which key leaked?');
  if (!record) return undefined;
  const secret = await store.secret(record.id);
  if (!secret) throw new UserError(`The secret of "${record.name}" is missing: it is needed to find every copy.`);
  const node = await import('@signus/shared/node');
  const roots = args.roots ?? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const home = args.home === false ? undefined : (args.home ?? homedir());
  const dir = args.reportDir ?? node.defaultIncidentDir();
  const api = { accountId: record.accountId, ...(record.baseUrl !== undefined && { baseUrl: record.baseUrl }) };
  const knownKeysFile = setting('knownKeys.path').trim() || node.defaultKnownKeysPath();

  const target = await node.resolveTarget(record.name, undefined, secret);
  const session = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Signus: looking for copies of "${record.name}"…` },
    () => node.findIncident(target, { roots, home, exclude: [dir] }),
  );
  let written = node.writeIncidentReport(session, dir);
  const open = async () => {
    if (args.openReport === false) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(written.markdown));
    await vscode.window.showTextDocument(doc, { preview: false });
  };
  await open();
  const t = totalCopies(session.report);
  log.info(
    `Incident report for "${record.name}": ${written.markdown} (${t.copies} copies, ${t.commits} in git history).`,
  );
  if (t.copies + t.commits === 0) {
    if (!args.steps)
      void vscode.window.showInformationMessage(
        `Signus: no copy of "${record.name}" found. The report lists what was searched.`,
      );
    return { reportPath: written.markdown, report: session.report };
  }
  if (!args.steps) {
    const go = await vscode.window.showWarningMessage(
      `"${record.name}" has ${t.copies} ${t.copies === 1 ? 'copy' : 'copies'} in ${t.files} ${t.files === 1 ? 'file' : 'files'} and ${t.commits} in git history (${t.pushed} pushed).`,
      { modal: true, detail: 'The report is open. Respond now, one step at a time? Each step can be skipped.' },
      'Start',
    );
    if (go !== 'Start') return { reportPath: written.markdown, report: session.report };
  }

  let newKey = args.newSecret !== undefined ? parseApiKeyInput(args.newSecret).key : undefined;
  let verified = false;
  for (const name of node.STEPS) {
    const title = node.STEP_TITLES[name];
    if (args.steps ? args.steps[name] !== true : !(await confirm(title, name))) {
      session.report.steps.push({ step: title, status: 'skipped', lines: ['Skipped.'] });
      continue;
    }
    let step: ReportStep;
    if (name === 'rotate') {
      if (newKey === undefined && !args.steps) newKey = await askNewKey(record.name, secret);
      step = await node.stepRotate(newKey, api);
      if (newKey !== undefined && step.status === 'done') await store.replaceSecret(record.id, newKey);
    } else if (name === 'replace') step = node.stepReplace(session, newKey, dir);
    else if (name === 'purge') step = (await node.stepPurge(session, dir)).step;
    else if (name === 'scrub') step = node.stepScrub(session, dir);
    else if (name === 'delete') {
      step = node.stepDelete();
      if (!args.steps) await waitForDeletion();
    } else if (name === 'verify') {
      const v = await node.stepVerifyRevoked(session, api);
      verified = v.revoked;
      step = { step: v.step, status: v.status, lines: v.lines };
      if (!v.revoked && !args.steps) void vscode.window.showWarningMessage(`Signus: ${v.lines.join(' ')}`);
    } else step = await node.stepMarkRevoked(session, verified, knownKeysFile);
    session.report.steps.push(step);
    log.info(`${title}: ${step.status}`);
  }
  written = node.writeIncidentReport(session, dir);
  await open();
  return { reportPath: written.markdown, report: session.report };
}

async function confirm(title: string, name: StepName): Promise<boolean> {
  const answer = await vscode.window.showInformationMessage(
    `Respond to a leaked key: ${title}`,
    { modal: true, detail: STEP_DETAIL[name] },
    'Run This Step',
    'Skip',
  );
  if (answer === undefined) throw new UserError('Stopped. The report is written; run the command again to go on.');
  return answer === 'Run This Step';
}

async function askNewKey(name: string, oldSecret: string): Promise<string | undefined> {
  const go = await vscode.window.showInformationMessage(
    `Create a new key in Signus for "${name}", then paste it.`,
    {
      modal: true,
      detail: 'Settings → Developer → Create API key. The secret is shown once: copy it before closing the dialog.',
    },
    'Paste New Key',
    'Open Signus Developer Settings',
  );
  if (go === undefined) return undefined;
  if (go === 'Open Signus Developer Settings') await openDeveloperSettings();
  const typed = await vscode.window.showInputBox({
    title: `Signus: the new key for "${name}"`,
    prompt: 'Paste the new secret. The leaked one is replaced with it in files.',
    placeHolder: 'sk_…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) =>
      parseApiKeyInput(v).problem?.message ??
      (parseApiKeyInput(v).key === oldSecret ? 'This is the leaked key; paste the new one.' : undefined),
  });
  return typed === undefined ? undefined : parseApiKeyInput(typed).key;
}

async function waitForDeletion(): Promise<void> {
  for (;;) {
    const answer = await vscode.window.showInformationMessage(
      'Delete the leaked key in the Signus app now.',
      {
        modal: true,
        detail:
          "Settings → Developer → the key's row → trash icon → confirm. Then the next step checks it answers 401.",
      },
      'I Deleted It',
      'Open Signus Developer Settings',
    );
    if (answer === 'Open Signus Developer Settings') await openDeveloperSettings();
    else return;
  }
}
