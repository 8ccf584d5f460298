// The in-process index reader (git-index.ts) against git's own listing, in real repositories: every
// index version, the entry flags that decide whether git compares a file, conflicts, names that are not
// UTF-8 or longer than the 12-bit length field, and the indexes it must refuse rather than misread.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGitIndex, type TrackedFiles } from '../src/node/git-index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const env = {
  PATH: process.env.PATH ?? '',
  HOME: tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.test',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.test',
};

function repo() {
  const dir = mkdtempSync(join(tmpdir(), 'signus-index-'));
  dirs.push(dir);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  const write = (path: string | Buffer, text: string) => {
    const full = Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(path)]);
    mkdirSync(dirOf(full), { recursive: true });
    writeFileSync(full, text);
  };
  return { dir, git, write };
}

const dirOf = (full: Buffer) => Buffer.from(full.subarray(0, full.lastIndexOf(0x2f))).toString('utf8');

/** git's view: `<mode> <oid> <stage>\t<path>` per entry, and the paths git compares with the work tree. */
function gitView(git: (...a: string[]) => Buffer) {
  const staged = git('ls-files', '-z', '--stage').toString('latin1').split('\0').filter(Boolean);
  // `-t -v`: lower-case tag = assume-unchanged, S = skip-worktree; intent-to-add has the empty blob.
  const tags = git('ls-files', '-z', '-t', '-v').toString('latin1').split('\0').filter(Boolean);
  return { staged, tags };
}

function ourView(files: TrackedFiles) {
  const staged: string[] = [];
  const compared: boolean[] = [];
  for (let row = 0; row < files.count; row++) {
    const path = files.path(row);
    const bytes = files.exact(row, path) ?? Buffer.from(path);
    const oid = files.oid(row);
    compared.push(oid >= 0);
    // The blob id is read from the entry whether or not git compares it.
    const at = (files as unknown as { entryAt: Int32Array }).entryAt[row]! + 40;
    staged.push(
      `${files.modes[row]!.toString(8)} ${files.data.toString('hex', at, at + 20)} ${stageOf(files, row)}\t${bytes.toString('latin1')}`,
    );
  }
  return { staged, compared };
}

const stageOf = (files: TrackedFiles, row: number) => (files as unknown as { bits: Uint8Array }).bits[row]! & 3;

function populate(r: ReturnType<typeof repo>) {
  r.write('a.txt', 'a\n');
  r.write('dir/b.js', 'b\n');
  r.write('dir/sub/c.md', 'c\n');
  r.write(Buffer.from([0x6e, 0xe9, 0xff, 0x2e, 0x74, 0x78, 0x74]), 'not utf-8 name\n'); // n\xe9\xff.txt
  r.write('é-utf8.txt', 'utf-8 name\n');
  r.write('\uFFFD-real.txt', 'a real U+FFFD\n');
  r.write('exec.sh', '#!/bin/sh\n');
  r.git('add', '.');
  r.git('update-index', '--chmod=+x', 'exec.sh');
  // A symbolic link, a submodule and a path longer than the 12-bit name length field (0xfff), which
  // no file system here could hold: index entries only.
  const blob = r.git('hash-object', '-w', '--stdin').toString().trim();
  r.git('update-index', '--add', '--cacheinfo', `120000,${blob},link`);
  r.git('update-index', '--add', '--cacheinfo', `160000,${blob},sub`);
  const long = `${'d'.repeat(200)}/`.repeat(21) + 'long.txt';
  r.git('update-index', '--add', '--cacheinfo', `100644,${blob},${long}`);
  r.git('commit', '-qm', 'one');
  r.write('new.txt', 'intent\n');
  r.git('add', '-N', 'new.txt');
  r.git('update-index', '--assume-unchanged', 'a.txt');
  r.git('update-index', '--skip-worktree', 'dir/b.js');
  return long;
}

describe('readGitIndex', () => {
  for (const version of [2, 3, 4]) {
    it(`reads an index of version ${version} exactly as git lists it`, () => {
      const r = repo();
      const long = populate(r);
      r.git('update-index', '--index-version', String(version));
      const files = readGitIndex(join(r.dir, '.git'), {})!.files;
      const ours = ourView(files);
      const theirs = gitView(r.git);
      expect(ours.staged).toEqual(theirs.staged);
      expect(ours.staged.some((s) => s.endsWith(long))).toBe(true);
      // Git compares an entry unless it is assume-unchanged (lower-case tag), skip-worktree (S) or
      // intent-to-add.
      const expected = theirs.tags.map((t) => {
        const path = t.slice(2);
        return /^[A-Z]/.test(t) && !t.startsWith('S ') && path !== 'new.txt';
      });
      expect(ours.compared).toEqual(expected);
      expect(ours.compared.filter((c) => !c)).toHaveLength(3);
    });
  }

  it('lists each stage of a conflict, never as compared', () => {
    const r = repo();
    r.write('f.txt', 'base\n');
    r.git('add', '.');
    r.git('commit', '-qm', 'base');
    r.git('checkout', '-qb', 'other');
    r.write('f.txt', 'other\n');
    r.git('commit', '-qam', 'other');
    r.git('checkout', '-q', 'main');
    r.write('f.txt', 'main\n');
    r.git('commit', '-qam', 'main');
    try {
      r.git('merge', '-q', 'other');
    } catch {
      // The conflict is the point.
    }
    const files = readGitIndex(join(r.dir, '.git'), {})!.files;
    expect(ourView(files).staged).toEqual(gitView(r.git).staged);
    expect(ourView(files).compared).toEqual([false, false, false]);
  });

  it('a repository without an index has no tracked files', () => {
    const r = repo();
    expect(readGitIndex(join(r.dir, '.git'), {})!.files.count).toBe(0);
  });

  it('refuses what it cannot read exactly: a split index, a sparse index, a redirecting environment, a bad file', () => {
    const split = repo();
    populate(split);
    split.git('update-index', '--split-index');
    expect(readGitIndex(join(split.dir, '.git'), {})).toBeUndefined();

    const sparse = repo();
    sparse.write('keep/a.txt', 'a\n');
    sparse.write('away/b.txt', 'b\n');
    sparse.git('add', '.');
    sparse.git('commit', '-qm', 'one');
    sparse.git('sparse-checkout', 'init', '--cone', '--sparse-index');
    sparse.git('sparse-checkout', 'set', 'keep');
    expect(readGitIndex(join(sparse.dir, '.git'), {})).toBeUndefined();

    const plain = repo();
    populate(plain);
    const gitDir = join(plain.dir, '.git');
    expect(readGitIndex(gitDir, {})).toBeDefined();
    expect(readGitIndex(gitDir, { GIT_INDEX_FILE: join(gitDir, 'other') })).toBeUndefined();
    expect(readGitIndex(gitDir, { GIT_DIR: gitDir })).toBeUndefined();
    const index = join(gitDir, 'index');
    const good = execFileSync('cat', [index]);
    for (const bad of [
      good.subarray(0, good.length - 30),
      Buffer.from('DIRC'),
      Buffer.concat([good, Buffer.from('x')]),
    ]) {
      writeFileSync(index, bad);
      expect(readGitIndex(gitDir, {})).toBeUndefined();
    }
  });
});
