// The instructions `signus hook install` prints for the hook managers that own a repository's hooks,
// followed literally with the real tools (lefthook and simple-git-hooks from npm, the pre-commit framework
// from PyPI, installed by scripts/setup.sh): a commit and a push that add a key are blocked, clean ones
// pass, and a missing CLI blocks rather than letting a key through.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, CLI } from './cli-run.js';
import { addBareOrigin, committed } from './hook-helpers.js';
import { cleanupTempDirs, fakeKey, makeRepo, tempDir, type Repo } from './scan-helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TEST_BIN = join(ROOT, 'test', 'node_modules', '.bin');
const PRE_COMMIT = join(ROOT, '.tools', 'venv', 'bin', 'pre-commit');

beforeAll(() => {
  assertCliBuilt();
  for (const tool of [join(TEST_BIN, 'lefthook'), join(TEST_BIN, 'simple-git-hooks'), PRE_COMMIT])
    if (!existsSync(tool))
      throw new Error(`${tool} is missing: these tests drive the real hook managers; run scripts/setup.sh.`);
});
afterAll(cleanupTempDirs);

/** A global install of the CLI (`npm i -g`), plus the manager's own command, on a PATH of their own. */
function globalBin(): string {
  const bin = tempDir('signus-global-bin-');
  writeFileSync(join(bin, 'signus'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 });
  for (const tool of ['lefthook', 'simple-git-hooks']) symlinkSync(join(TEST_BIN, tool), join(bin, tool));
  symlinkSync(PRE_COMMIT, join(bin, 'pre-commit'));
  return bin;
}

interface Run {
  code: number;
  output: string;
}

function run(repo: Repo, path: string, cmd: string, args: string[]): Run {
  const r = spawnSync(cmd, args, {
    cwd: repo.dir,
    env: { ...repo.env, PATH: `${path}:${dirname(process.execPath)}:/usr/bin:/bin` },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

interface Manager {
  name: string;
  /** What makes `signus hook install` see the manager, before its hooks are installed. */
  mark(repo: Repo): void;
  /** Follows the printed instructions for both hooks, literally, and runs the manager's installer. */
  apply(repo: Repo, printed: string, bin: string): void;
}

/** The configuration blocks the instructions print, one per hook, in order. */
function blocks(printed: string, pattern: RegExp): string[] {
  const found = printed.match(pattern) ?? [];
  expect(found, printed).toHaveLength(2);
  return found;
}

const MANAGERS: Manager[] = [
  {
    name: 'lefthook',
    mark: (repo) => repo.write('lefthook.yml', ''),
    apply(repo, printed, bin) {
      repo.write('lefthook.yml', blocks(printed, /^pre-(?:commit|push):\n(?: {2,}.*\n?)+/gm).join(''));
      const installed = run(repo, bin, 'lefthook', ['install']);
      expect(installed.code, installed.output).toBe(0);
    },
  },
  {
    name: 'the pre-commit framework',
    mark: (repo) => repo.write('.pre-commit-config.yaml', 'repos: []\n'),
    apply(repo, printed, bin) {
      const config = `repos:\n${blocks(printed, /^ {2}- repo: local\n(?: {4,}.*\n?)+/gm).join('')}`;
      repo.write('.pre-commit-config.yaml', config);
      // The framework refuses to run with its configuration unstaged.
      repo.git('add', '.pre-commit-config.yaml');
      repo.git('commit', '-qm', 'pre-commit config', '--no-verify');
      const installed = run(repo, bin, 'pre-commit', [
        'install',
        '--hook-type',
        'pre-commit',
        '--hook-type',
        'pre-push',
      ]);
      expect(installed.code, installed.output).toBe(0);
    },
  },
  {
    name: 'simple-git-hooks',
    mark: (repo) => repo.write('package.json', '{ "name": "demo", "private": true, "simple-git-hooks": {} }\n'),
    apply(repo, printed, bin) {
      const config: Record<string, string> = {};
      for (const block of blocks(printed, /"simple-git-hooks": (\{.*\})/g)) {
        const json = block.slice(block.indexOf('{')).replace('<what runs there now>', 'echo the-teams-own-step');
        Object.assign(config, JSON.parse(json) as Record<string, string>);
      }
      repo.write('package.json', JSON.stringify({ name: 'demo', private: true, 'simple-git-hooks': config }));
      const installed = run(repo, bin, 'simple-git-hooks', []);
      expect(installed.code, installed.output).toBe(0);
    },
  },
];

function addKey(repo: Repo, file: string): string {
  const key = fakeKey();
  repo.write(file, `export const apiKey = '${key}';\n`);
  repo.git('add', file);
  return key;
}

const tip = (bare: string, ref: string) =>
  spawnSync('git', ['--git-dir', bare, 'rev-parse', '-q', '--verify', ref], { encoding: 'utf8' }).stdout.trim();

/** How every report shows a key: its prefix and last four characters. */
const masked = (key: string) => `sk_••••••••${key.slice(-4)}`;
const fingerprint = (key: string) => createHash('sha256').update(key).digest('hex');

/** A blocked run names the key masked and never prints it whole. */
function expectBlocked(result: Run, key: string): void {
  expect(result.code, result.output).not.toBe(0);
  expect(result.output).toContain(masked(key));
  expect(result.output).not.toContain(key);
  expect(result.output).not.toContain(key.slice('sk_TEST_'.length));
}

describe.each(MANAGERS)('the printed instructions for $name, followed with the real tool', (manager) => {
  let repo: Repo;
  let bare: string;
  let bin: string;

  beforeAll(async () => {
    bin = globalBin();
    repo = committed(makeRepo());
    bare = addBareOrigin(repo);
    repo.git('push', '-q', '-u', 'origin', 'main');
    manager.mark(repo);
    repo.git('add', '.');
    repo.git('commit', '-qm', 'use a hook manager', '--no-verify');

    const refused = await repo.signus('hook', 'install', '--pre-push');
    expect(refused.code, refused.stderr).toBe(2);
    manager.apply(repo, refused.stderr, bin);
    // The team commits its hook configuration, as each manager's documentation says.
    repo.git('add', '.');
    repo.tryGit('commit', '-qm', 'hook configuration', '--no-verify');
    // Following the instructions wrote the hooks; signus itself wrote none.
    expect(readFileSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), 'utf8')).not.toContain(CLI);
    const pushed = run(repo, bin, 'git', ['push', '-q', 'origin', 'main']);
    expect(pushed.code, pushed.output).toBe(0);
  }, 120_000);

  it('blocks a commit that adds a key and lets a clean one through', { timeout: 60_000 }, () => {
    const key = addKey(repo, 'config.js');
    const before = repo.git('rev-parse', 'HEAD');
    expectBlocked(run(repo, bin, 'git', ['commit', '-m', 'add config']), key);
    expect(repo.git('rev-parse', 'HEAD')).toBe(before);

    repo.write('config.js', 'export const apiKey = process.env.SIGNUS_API_KEY;\n');
    repo.git('add', 'config.js');
    const clean = run(repo, bin, 'git', ['commit', '-m', 'read the key from the environment']);
    expect(clean.code, clean.output).toBe(0);
  });

  it('blocks the commit when the signus CLI is not on PATH, instead of letting it through', { timeout: 60_000 }, () => {
    const key = addKey(repo, 'leak.js');
    const toolsOnly = tempDir('signus-tools-bin-');
    for (const tool of ['lefthook', 'simple-git-hooks', 'pre-commit'])
      symlinkSync(join(bin, tool), join(toolsOnly, tool));
    const result = run(repo, toolsOnly, 'git', ['commit', '-m', 'no cli']);
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).not.toContain(key);
    repo.git('reset', '-q', 'HEAD', '--', 'leak.js');
    execFileSync('rm', [join(repo.dir, 'leak.js')]);
  });

  it(
    'blocks a push of a committed key: on the branch, on a new root branch, and among several refs',
    { timeout: 90_000 },
    () => {
      const mainBefore = tip(bare, 'refs/heads/main');
      const key = addKey(repo, 'pushed.js');
      repo.git('commit', '-qm', 'a key, committed without the hook', '--no-verify');
      expectBlocked(run(repo, bin, 'git', ['push', 'origin', 'main']), key);
      expect(tip(bare, 'refs/heads/main')).toBe(mainBefore);
      repo.git('reset', '-q', '--hard', 'HEAD~1');

      // A branch that starts at a new root commit: the pre-commit framework hands over no range for it.
      repo.git('checkout', '-q', '--orphan', 'fresh');
      repo.git('rm', '-rq', '--cached', '.');
      const rootKey = addKey(repo, 'root.js');
      repo.git('commit', '-qm', 'root with a key', '--no-verify');
      expectBlocked(run(repo, bin, 'git', ['push', 'origin', 'fresh']), rootKey);
      expect(tip(bare, 'refs/heads/fresh')).toBe('');
      repo.git('checkout', '-qf', 'main');
      repo.git('branch', '-D', 'fresh');
      repo.git('clean', '-qfdx', '-e', 'node_modules');

      // Two refs in one push, the key on the second: the pre-commit framework passes only the first's range.
      repo.write('notes.md', 'clean change\n');
      repo.git('add', 'notes.md');
      repo.git('commit', '-qm', 'clean', '--no-verify');
      repo.git('checkout', '-q', '-b', 'feature');
      const featureKey = addKey(repo, 'feature.js');
      repo.git('commit', '-qm', 'feature with a key', '--no-verify');
      repo.git('checkout', '-q', 'main');
      expectBlocked(run(repo, bin, 'git', ['push', 'origin', 'main', 'feature']), featureKey);
      expect(tip(bare, 'refs/heads/feature')).toBe('');

      // Without the key, the same push goes through.
      repo.git('branch', '-D', 'feature');
      const clean = run(repo, bin, 'git', ['push', 'origin', 'main']);
      expect(clean.code, clean.output).toBe(0);
      expect(tip(bare, 'refs/heads/main')).toBe(repo.git('rev-parse', 'HEAD').trim());
    },
  );
});

describe('signus scan --unpushed', { timeout: 60_000 }, () => {
  it('takes the remote from $PRE_COMMIT_REMOTE_NAME and says so when there is neither', async () => {
    const repo = committed(makeRepo());
    addBareOrigin(repo);
    const missing = await repo.signus('scan', '--unpushed');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--unpushed needs the remote');
  });

  it('scans what no remote-tracking ref of the remote has, and only that', async () => {
    const repo = committed(makeRepo());
    addBareOrigin(repo);
    const old = addKey(repo, 'old.js');
    repo.git('commit', '-qm', 'old key', '--no-verify');
    repo.git('push', '-q', 'origin', 'main');
    repo.git('checkout', '-q', '-b', 'topic');
    const fresh = addKey(repo, 'new.js');
    repo.git('commit', '-qm', 'new key', '--no-verify');
    const result = await repo.signus('scan', '--unpushed', 'origin', '--format', 'json');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(fingerprint(fresh));
    expect(result.stdout).not.toContain(fingerprint(old));
    repo.git('push', '-q', 'origin', 'topic');
    const pushed = await repo.signus('scan', '--unpushed', 'origin');
    expect(pushed.code, pushed.stdout).toBe(0);
  });
});
