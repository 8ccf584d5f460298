// Repositories whose hooks are not simply ours, shared by the hook installer's tests.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { CLI } from './cli-run.js';
import { makeRepo, tempDir, type Repo } from './scan-helpers.js';

const HUSKY_BIN = join(dirname(fileURLToPath(import.meta.resolve('husky'))), 'bin.js');

/** What a devDependency on the signus CLI gives a clone: `signus` in node_modules/.bin. */
export function signusOnPath(dir: string): void {
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  const bin = join(dir, 'node_modules', '.bin', 'signus');
  writeFileSync(bin, `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 });
}

export function committed(repo: Repo): Repo {
  repo.write('README.md', '# demo\n');
  repo.write('.gitignore', 'node_modules/\n');
  repo.git('add', '.');
  repo.git('commit', '-qm', 'init');
  return repo;
}

/** A Husky 9 repository as `npm install` leaves it (Husky's own installer), with the user's pre-commit hook. */
export function huskyRepo(userHook: string, repo: Repo = committed(makeRepo())): Repo {
  repo.write('package.json', '{ "name": "demo", "private": true }\n');
  // Husky's own installer, as `npm install` runs it through the "prepare" script.
  execFileSync(process.execPath, [HUSKY_BIN], { cwd: repo.dir, env: repo.env });
  repo.write('.husky/pre-commit', userHook);
  repo.git('add', '.');
  repo.git('commit', '-qm', 'husky', '--no-verify');
  expect(repo.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
  expect(existsSync(join(repo.dir, '.husky', '_', 'h'))).toBe(true);
  return repo;
}

/** Adds a bare repository on disk as `origin`; returns its path. */
export function addBareOrigin(repo: Repo): string {
  const bare = join(tempDir('signus-bare-'), 'origin.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare], { env: repo.env });
  repo.git('remote', 'add', 'origin', bare);
  return bare;
}

/** Everything doctor could leave behind: refs, remotes, config, worktrees, HEAD, the index and working tree, temp dirs. */
export function footprint(repo: Repo, tmp = tmpdir()) {
  return {
    refs: repo.git('for-each-ref', '--format=%(refname) %(objectname)'),
    remotes: repo.git('remote', '-v'),
    config: repo.git('config', '--local', '--list'),
    worktrees: repo.git('worktree', 'list', '--porcelain'),
    head: repo.git('rev-parse', 'HEAD'),
    reflog: repo.git('reflog', '--format=%H %gs'),
    status: repo.git('status', '--porcelain', '--ignored'),
    temp: readdirSync(tmp).filter((n) => n.startsWith('signus-doctor-')).length,
  };
}
