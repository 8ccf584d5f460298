/**
 * `signus incident` end to end: a temporary HOME full of the places keys end up, a real repository with
 * a bare remote (one pushed commit with the key, one not), the emulator for the key tests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoFinder, encodedForms, knownKeyFingerprints } from '@signus/shared';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { assertCliBuilt, runCli, type CliRun } from './cli-run.js';
import { repoWithRemote, type RepoWithRemote } from './history-helpers.js';
import { cleanupTempDirs, tempDir } from './scan-helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  assertCliBuilt();
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
  cleanupTempDirs();
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const percentAll = (s: string) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
const jsonEscapeAll = (s: string) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

interface Scene {
  repo: RepoWithRemote;
  home: string;
  key: string;
  reportDir: string;
  env: Record<string, string>;
  /** Files (absolute) that must be found, by class. */
  expected: Record<string, string[]>;
}

function write(path: string, content: string | Buffer): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

async function scene(): Promise<Scene> {
  const leaked = emu.createKey({ name: 'Leaky' });
  const key = leaked.secret;
  const repo = repoWithRemote();
  const home = repo.env.HOME!;
  const r = (p: string) => join(repo.dir, p);
  const h = (p: string) => join(home, p);
  // Pushed: the key in a source file. Unpushed: its base64 in a REST Client file.
  repo.commit('config', { 'src/config.js': `export const key = '${key}';\n`, '.gitignore': '.env\n' });
  repo.git('push', '-q', 'origin', 'main');
  repo.commit('requests', { 'api.http': `GET /x\nX-Key: ${b64(key)}\nAuthorization: Basic ${b64(`api:${key}`)}\n` });
  const expected: Record<string, string[]> = {
    'working-tree': [r('src/config.js'), write(r('.env'), `SIGNUS_API_KEY=${key}\n`)],
    'api-client': [
      r('api.http'),
      write(r('env.postman_environment.json'), JSON.stringify({ values: [{ key: 'k', value: key }] })),
      write(r('bruno/req.bru'), `headers {\n  Authorization: Bearer ${key}\n}\n`),
      write(
        h('.config/Code/User/globalStorage/rangav.vscode-thunder-client/thunderEnvironment.json'),
        `{"v":"${key}"}`,
      ),
    ],
    'vscode-settings': [
      write(r('.vscode/launch.json'), `{"env": {"SIGNUS_API_KEY": "${jsonEscapeAll(key)}"}}`),
      write(h('.config/Code/User/settings.json'), `{"rest-client.environmentVariables": {"k": "${key}"}}`),
    ],
    'shell-history': [
      write(h('.bash_history'), `ls\nexport SIGNUS_API_KEY=${key}\ncurl -u api:${key} x\n`),
      write(h('.zsh_history'), `: 1700000000:0;curl 'x?key=${percentAll(key)}'\n`),
      write(h('.local/share/fish/fish_history'), `- cmd: set -x SIGNUS_API_KEY ${key.toUpperCase()}\n  when: 1\n`),
    ],
    'agent-transcript': [
      write(
        h('.claude/projects/-work-app/1.jsonl'),
        `{"type":"user","message":"here is my key ${key} signus:allow"}\n{"type":"tool","out":"Authorization: Basic ${b64(`api:${key}`)}"}\n`,
      ),
      write(h('.codex/sessions/2026/12/02/rollout.jsonl'), `{"t":"${b64(key)}"}\n`),
      write(r('.aider.chat.history.md'), `#### use ${key}\n`),
      write(h('.continue/sessions/s1.json'), `{"h":"${key.slice(0, 10)}\u200b${key.slice(10)}"}`),
    ],
  };
  return { repo, home, key, reportDir: tempDir('signus-incident-'), env: { ...repo.env }, expected };
}

function incident(s: Scene, args: string[], input?: string, env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(['incident', ...args, '--root', s.repo.dir, '--home', s.home, '--report', s.reportDir], {
    cwd: s.repo.dir,
    env: { ...s.env, SIGNUS_ACCOUNT_ID: emu.accountId, SIGNUS_BASE_URL: emu.url, ...env },
    ...(input !== undefined && { input }),
  });
}

/** No form of the key in these bytes: the literal forms, every percent and JSON escape, and what the echo finder sees. */
function expectNoKey(text: string, key: string): void {
  for (const form of [...encodedForms(key), percentAll(key), jsonEscapeAll(key), b64(`api:${key}`), key.toUpperCase()])
    expect(text.includes(form), `a form of the key is in the text`).toBe(false);
  expect(echoFinder(key)(text)).toEqual([]);
}

interface ReportJson {
  key: { masked: string; fingerprint: string };
  matchedWithKey: boolean;
  files: {
    path: string;
    class: string;
    count: number;
    places: { encoding: string }[];
    inName?: boolean;
    action: string;
  }[];
  history: {
    repo: string;
    objectsWithKey?: number;
    findings: { commit: string; pushed: boolean; path: string | null }[];
  }[];
  skipped: { tooLarge: { path: string }[]; symlinks: number; unreadable: { path: string; reason: string }[] };
  steps: { step: string; status: string; lines: string[] }[];
}

async function writeKnownKeys(s: Scene, label: string): Promise<void> {
  const file = join(s.home, '.config', 'signus', 'known-keys.json');
  write(file, JSON.stringify({ version: 1, keys: [{ label, fingerprints: await knownKeyFingerprints(s.key) }] }));
}

describe('signus incident: finding', () => {
  it('finds every copy by name alone (fingerprints from the known-keys file), in every class and encoding; the report holds no key', async () => {
    const s = await scene();
    await writeKnownKeys(s, 'Production');
    // Attacks: a key in a file name, a symbolic-link loop, a file over the size limit, a crafted name.
    const named = write(join(s.home, '.claude/projects/-work-app', `paste-${s.key}.jsonl`), 'nothing\n');
    symlinkSync('..', join(s.home, '.claude/projects/loop'));
    symlinkSync(join(s.home, '.python_history'), join(s.home, '.python_history'));
    const huge = write(join(s.home, '.claude/projects/-work-app/huge.jsonl'), `${'x'.repeat(300 * 1024)}\n${s.key}\n`);
    const crafted = write(join(s.home, '.codex/sessions/evil\n| fake | row |.jsonl'), `${s.key}\n`);

    const run = await incident(s, ['Production', '--json', '--max-file-size', '256KB']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ReportJson;
    expect(report.matchedWithKey).toBe(true); // read back from a copy
    const byPath = new Map(report.files.map((f) => [f.path, f]));
    for (const [cls, paths] of Object.entries(s.expected)) {
      for (const path of paths) {
        expect(byPath.get(path)?.class, `${cls}: ${path}`).toBe(cls);
      }
    }
    const encodings = new Set(report.files.flatMap((f) => f.places.map((p) => p.encoding)));
    for (const e of ['plain', 'base64', 'url', 'json', 'other']) expect(encodings).toContain(e);
    // The path is in the report with the key masked, like everything else.
    expect(byPath.get(named.replace(s.key, `sk_••••••••${s.key.slice(-4)}`))?.inName).toBe(true);
    expect(byPath.get(crafted)?.count).toBe(1);
    expect(report.skipped.tooLarge.map((x) => x.path)).toEqual([huge]);
    expect(report.skipped.symlinks).toBeGreaterThan(0);
    expect(report.skipped.unreadable.some((u) => u.reason === 'symbolic link loop')).toBe(true);
    // History: the pushed commit and the unpushed one, told apart.
    const history = report.history.find((h) => h.repo === s.repo.dir)!;
    expect(history.findings.map((f) => [f.path, f.pushed]).sort()).toEqual([
      ['api.http', false],
      ['src/config.js', true],
    ]);
    // Every object read with the key: the two blobs (the Basic form only the key reveals) and the tree
    // naming nothing; at least the blobs.
    expect(history.objectsWithKey).toBeGreaterThanOrEqual(2);

    const md = readFileSync(join(s.reportDir, 'incident.md'), 'utf8');
    const json = readFileSync(join(s.reportDir, 'incident.json'), 'utf8');
    for (const text of [md, json, run.stdout, run.stderr]) expectNoKey(text, s.key);
    expect(md).toContain(`sk_••••••••${s.key.slice(-4)}`);
    expect(md).toContain('| `~/.bash_history` (bash) | 2 |');
    // A crafted name stays one cell: quoted, its newline escaped, its pipes escaped.
    expect(md).toContain('| `"~/.codex/sessions/evil\\n\\| fake \\| row \\|.jsonl"` (Codex) | 1 |');
    expect(md).toMatch(/\*\*yes\*\* \(origin\)/);
    expect(statSync(s.reportDir).mode & 0o777).toBe(0o700);
  });

  it('finds by fingerprint alone, and names a missing key clearly', async () => {
    const s = await scene();
    const [fingerprint] = await knownKeyFingerprints(s.key);
    const run = await incident(s, [fingerprint!, '--steps', 'none', '--no-history']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\d+ copies in \d+ files/);
    expectNoKey(run.stderr + run.stdout, s.key);

    const missing = await incident(s, ['Nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no key named "Nope" in the known-keys file');
    const badStep = await incident(s, [fingerprint!, '--steps', 'replace,launch']);
    expect(badStep.code).toBe(2);
    expect(badStep.stderr).toContain('--steps takes');
  });
});

describe('signus incident: the response', () => {
  it('git filter-repo is installed (scripts/setup.sh): the purge step needs it', () => {
    expect(() => execFileSync('git', ['filter-repo', '--version'], { stdio: 'pipe' })).not.toThrow();
  });

  it('replaces, purges a mirror (verified, push not run), scrubs with backups, verifies 401 and marks the key revoked', async () => {
    const s = await scene();
    await writeKnownKeys(s, 'Production');
    const fresh = emu.createKey({ name: 'Leaky, rotated' }).secret;
    const remoteBefore = execFileSync('git', ['-C', s.repo.bare, 'rev-parse', 'main'], { encoding: 'utf8' });

    // Still live: everything runs, the verify step fails (exit 3) and nothing is marked.
    const early = await incident(
      s,
      ['Production', '--key-stdin', '--new-key-stdin', '--yes', '--steps', 'verify,mark'],
      `${s.key}\n${fresh}\n`,
    );
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('The old key STILL WORKS');
    expect(existsSync(join(s.home, '.config/signus/revoked-keys.json'))).toBe(false);

    emu.deleteKey(s.key); // the user deletes it in the Signus app
    const run = await incident(s, ['Production', '--key-stdin', '--new-key-stdin', '--yes'], `${s.key}\n${fresh}\n`);
    const allOutput = run.stdout + run.stderr;
    expectNoKey(allOutput, s.key);
    expect(allOutput).not.toContain(fresh);
    expect(run.code, allOutput).toBe(0);
    const report = JSON.parse(readFileSync(join(s.reportDir, 'incident.json'), 'utf8')) as ReportJson;
    const status = Object.fromEntries(report.steps.map((x) => [x.step, x.status]));
    expect(status).toEqual({
      'Create a new key': 'done',
      'Replace the old key in files': 'done',
      'Purge it from git history (plan)': 'done',
      'Scrub shell history and transcripts': 'done',
      'Delete the old key in Signus': 'manual',
      'Verify the old key is revoked': 'done',
      'Mark the fingerprint revoked': 'done',
    });

    // Replaced: the new key where the old one was, in its own encoding; backups hold the old content.
    for (const path of [
      ...s.expected['working-tree']!,
      ...s.expected['api-client']!,
      ...s.expected['vscode-settings']!,
    ]) {
      const text = readFileSync(path, 'utf8');
      expect(echoFinder(s.key)(text), path).toEqual([]);
      expect(
        text.includes(fresh) || text.includes(b64(fresh)) || text.includes(jsonEscapeAll(fresh).slice(0, 6)),
        path,
      ).toBe(true);
    }
    expect(readFileSync(join(s.repo.dir, 'api.http'), 'utf8')).toContain(b64(fresh));
    const replacedBackups = join(s.reportDir, 'replaced');
    expect(statSync(replacedBackups).mode & 0o777).toBe(0o700);
    const backups = readdirSync(replacedBackups).filter((f) => f !== 'index.json');
    expect(backups.length).toBe(8);
    expect(backups.some((f) => readFileSync(join(replacedBackups, f), 'utf8').includes(s.key))).toBe(true);

    // Scrubbed: the marker in place of every form, backups kept.
    const bash = readFileSync(join(s.home, '.bash_history'), 'utf8');
    expect(bash).toBe('ls\nexport SIGNUS_API_KEY=[signus-key-removed]\ncurl -u api:[signus-key-removed] x\n');
    for (const path of s.expected['shell-history']!.concat(s.expected['agent-transcript']!))
      expect(echoFinder(s.key)(readFileSync(path, 'utf8')), path).toEqual([]);
    for (const line of readFileSync(s.expected['agent-transcript']![0]!, 'utf8').trim().split('\n')) JSON.parse(line);
    expect(readdirSync(join(s.reportDir, 'scrubbed')).length).toBeGreaterThan(5);

    // Purge: a verified mirror, force-push commands shown and not run.
    const md = readFileSync(join(s.reportDir, 'incident.md'), 'utf8');
    expectNoKey(md, s.key);
    expect(md).toContain('verified: no object in it holds the key');
    expect(md).toMatch(
      /git -C \S+-purged\.git push --force \S*origin\.git refs\/remotes\/origin\/main:refs\/heads\/main/,
    );
    expect(execFileSync('git', ['-C', s.repo.bare, 'rev-parse', 'main'], { encoding: 'utf8' })).toBe(remoteBefore);
    const mirror = readdirSync(join(s.reportDir, 'purge')).find((f) => f.endsWith('-purged.git'))!;
    const mirrorLog = execFileSync('git', ['-C', join(s.reportDir, 'purge', mirror), 'log', '--all', '-p'], {
      encoding: 'utf8',
    });
    expect(mirrorLog).toContain('[signus-key-removed]');
    expect(mirrorLog.includes(s.key) || mirrorLog.includes(b64(s.key))).toBe(false);
    expect(mirrorLog).not.toContain(b64(`api:${s.key}`).slice(8, 40));
    expect(echoFinder(s.key)(mirrorLog)).toEqual([]);
    const bundle = readdirSync(join(s.reportDir, 'purge')).find((f) => f.endsWith('.bundle'))!;
    expect(
      execFileSync('git', ['bundle', 'verify', join(s.reportDir, 'purge', bundle)], {
        cwd: s.repo.dir,
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    ).toBeDefined();

    // Later: a scan and the pre-commit hook call a copy a revoked key.
    const revoked = JSON.parse(readFileSync(join(s.home, '.config/signus/revoked-keys.json'), 'utf8')) as {
      revoked: { masked: string }[];
    };
    expect(revoked.revoked[0]!.masked).toBe(`sk_••••••••${s.key.slice(-4)}`);
    s.repo.write('later.txt', `k=${s.key}\n`);
    const scan = await s.repo.signus('scan', 'later.txt');
    expect(scan.code).toBe(1);
    expect(scan.stdout).toContain('revoked key "Production (revoked');
    expectNoKey(scan.stdout + scan.stderr, s.key);
    expect((await s.repo.signus('hook', 'install')).code).toBe(0);
    s.repo.git('add', 'later.txt');
    const commit = s.repo.tryGit('commit', '-qm', 'later');
    expect(commit.code).not.toBe(0);
    expect(commit.output).toContain('revoked key');
  });
});
