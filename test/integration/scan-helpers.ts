import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli, type CliRun } from './cli-run.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random key-shaped test secret, marked TEST; made at run time so no key sits in the source. */
export function fakeKey(): string {
  let body = '';
  for (const b of randomBytes(32)) body += ALPHABET[b % ALPHABET.length];
  return `sk_TEST_${body}`;
}

const made: string[] = [];

export function tempDir(prefix = 'signus-scan-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A hermetic environment: no user or system git config, no user known-keys file. */
export function isolatedEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.test',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.test',
    NO_COLOR: '1',
  };
}

export interface Repo {
  dir: string;
  env: Record<string, string>;
  git(...args: string[]): string;
  /** Like git() but returns the exit code and output instead of throwing. */
  tryGit(...args: string[]): { code: number; output: string };
  write(path: string, content: string | Buffer): void;
  signus(...args: string[]): Promise<CliRun>;
}

export function makeRepo(): Repo {
  const home = tempDir('signus-home-');
  const dir = join(tempDir('signus-repo-'), 'repo with space é');
  mkdirSync(dir);
  const env = isolatedEnv(home);
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  git('config', 'commit.gpgsign', 'false');
  return {
    dir,
    env,
    git,
    tryGit: (...args) => {
      const r = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
    },
    write: (path, content) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    signus: (...args) => runCli(args, { cwd: dir, env }),
  };
}

/** A repository with one commit and the signus pre-commit hook installed. */
export async function repoWithHook(): Promise<Repo> {
  const repo = makeRepo();
  repo.write('README.md', '# demo\n');
  repo.git('add', '.');
  repo.git('commit', '-qm', 'init');
  const install = await repo.signus('hook', 'install');
  if (install.code !== 0) throw new Error(`signus hook install failed: ${install.stderr}`);
  return repo;
}

export interface JsonScan {
  findings: {
    path: string;
    line: number;
    column: number;
    ruleId: string;
    severity: string;
    masked: string;
    fingerprint: string;
    encoding: string;
    snippet: string;
  }[];
  summary: { files: number; notRead: string[]; skipped: string[]; addedLines?: number };
}

export function parseJson(run: CliRun): JsonScan {
  try {
    return JSON.parse(run.stdout) as JsonScan;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}
