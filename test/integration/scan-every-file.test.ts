// Issue 9 §2: every file that can hold a key is read — UTF-16, stray NULs, `-diff` and `binary`
// attributes, force-added ignored files, untracked files, names that are not UTF-8 — in real repositories.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from './cli-run.js';
import { cleanupTempDirs, fakeKey, isolatedEnv, makeRepo, parseJson, tempDir } from './scan-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

const utf16le = (text: string, bom: boolean) =>
  Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

describe('every file that can hold a key is read', { timeout: 60_000 }, () => {
  it('UTF-16 files (with a BOM, as PowerShell writes them, and without) are decoded and scanned', async () => {
    const repo = makeRepo();
    const keys = [fakeKey(), fakeKey(), fakeKey()];
    repo.write('ps-out.txt', utf16le(`Name\r\nkey = ${keys[0]}\r\n`, true));
    repo.write('no-bom.txt', utf16le(`x\nSIGNUS_API_KEY=${keys[1]}\n`, false));
    repo.write('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(`a\n"${keys[2]}"\n`)]));
    const run = await repo.signus('scan', '--format', 'json');
    expect(run.code).toBe(1);
    const scan = parseJson(run);
    expect(scan.findings.map((f) => `${f.path}:${f.line}:${f.column}`).sort()).toEqual([
      'be.txt:2:2',
      'no-bom.txt:2:16',
      'ps-out.txt:2:7',
    ]);
    expect(run.stdout).not.toContain(keys[0]!.slice(8));
  });

  it('a key in a staged UTF-16 file blocks the real hook (its git -G fast path and the full scan)', async () => {
    const repo = makeRepo();
    repo.write('notes.txt', 'start\n');
    repo.write('old-le.txt', utf16le('Name\r\nvalue\r\n', true));
    repo.git('add', '.');
    repo.git('commit', '-qm', 'init');
    expect((await repo.signus('hook', 'install')).code).toBe(0);
    // A clean UTF-16 change passes; so does the fast path on an unrelated text change.
    repo.write('old-le.txt', utf16le('Name\r\nvalue\r\nother\r\n', true));
    repo.git('add', '.');
    expect(repo.tryGit('commit', '-qm', 'clean').code).toBe(0);

    const keys = [fakeKey(), fakeKey(), fakeKey()];
    // A key on a line added to an existing little-endian file (its bytes after a 0x0a start with a NUL),
    // a new big-endian file without a byte-order mark, and a little-endian one without.
    repo.write('old-le.txt', utf16le(`Name\r\nvalue\r\nother\r\nkey = ${keys[0]}\r\n`, true));
    repo.write('new-be.txt', utf16be(`a\n"${keys[1]}"\n`));
    repo.write('new-le.txt', utf16le(`x\nSIGNUS_API_KEY=${keys[2]}\n`, false));
    repo.git('add', '.');
    const scan = parseJson(await repo.signus('scan', '--staged', '--format', 'json'));
    expect(scan.findings.map((f) => `${f.path}:${f.line}:${f.column}`).sort()).toEqual([
      'new-be.txt:2:2',
      'new-le.txt:2:16',
      'old-le.txt:4:7',
    ]);
    expect(scan.summary.notRead).toEqual([]);
    const commit = repo.tryGit('commit', '-qm', 'keys');
    expect(commit.code).not.toBe(0);
    for (const path of ['old-le.txt:4', 'new-be.txt:2', 'new-le.txt:2']) expect(commit.output).toContain(path);
    for (const key of keys) expect(commit.output).not.toContain(key.slice(8));
    // Only added lines count: the key already committed is not reported again on an unrelated change.
    repo.git('commit', '-qm', 'keys', '--no-verify');
    repo.write('old-le.txt', utf16le(`Name\r\nvalue\r\nother\r\nkey = ${keys[0]}\r\nmore\r\n`, true));
    repo.git('add', '.');
    expect(parseJson(await repo.signus('scan', '--staged', '--format', 'json')).findings).toEqual([]);
    expect(repo.tryGit('commit', '-qm', 'more').code).toBe(0);
  });

  it('a NUL past the first line does not make a text file binary; a real binary is named, never a plain ✓', async () => {
    const repo = makeRepo();
    repo.write('log.txt', `started\nvalue\u0000padding\ntoken=${fakeKey()}\n`);
    const text = await repo.signus('scan', '--format', 'json');
    expect(parseJson(text).findings.map((f) => f.path)).toEqual(['log.txt']);

    const clean = makeRepo();
    clean.write('app.bin', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]), Buffer.alloc(64)]));
    clean.write('ok.txt', 'hello\n');
    const run = await clean.signus('scan');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('✓');
    expect(run.stdout).toContain('No Signus keys found in what was read');
    expect(run.stdout).toContain('not read: 1 binary file (app.bin)');
    expect(parseJson(await clean.signus('scan', '--format', 'json')).summary.notRead).toEqual([
      '1 binary file (app.bin)',
    ]);
  });

  it('in a git work tree: every tracked file (even force-added and ignored) and untracked files not ignored', async () => {
    const repo = makeRepo();
    repo.write('.gitignore', '*.env\nbuild/\n');
    repo.write('prod.env', `KEY=${fakeKey()}\n`);
    repo.git('add', '-f', 'prod.env');
    repo.git('add', '.gitignore');
    repo.git('commit', '-qm', 'force-added');
    repo.write('local.env', `KEY=${fakeKey()}\n`); // ignored and untracked: never pushed
    repo.write('build/out.js', `k="${fakeKey()}"\n`);
    repo.write('notes.txt', `k="${fakeKey()}"\n`); // untracked, not ignored
    const run = await repo.signus('scan', '--format', 'json');
    const scan = parseJson(run);
    expect(scan.findings.map((f) => f.path).sort()).toEqual(['notes.txt', 'prod.env']);
    expect(scan.summary.skipped.join('; ')).toContain(
      'git work tree: 2 tracked files (1 matching .gitignore, force-added: prod.env) and 1 untracked file not ignored',
    );
    // A PATH inside the tree limits the list to it.
    expect(parseJson(await repo.signus('scan', 'prod.env', '--format', 'json')).findings).toHaveLength(1);
  });

  it('a file name that is not valid UTF-8 is read, in git and outside git', async () => {
    const repo = makeRepo();
    const name = Buffer.concat([Buffer.from(repo.dir), Buffer.from('/caf'), Buffer.from([0xe9]), Buffer.from('.txt')]);
    writeFileSync(name, `k="${fakeKey()}"\n`);
    const run = await repo.signus('scan', '--format', 'json');
    expect(run.code).toBe(1);
    const scan = parseJson(run);
    expect(scan.findings).toHaveLength(1);
    expect(scan.findings[0]!.path).toBe('caf\ufffd.txt');
    expect(scan.summary.notRead).toEqual([]);
    repo.git('add', '.');
    expect((await repo.signus('scan', '--format', 'json')).code).toBe(1);
    // Outside git: the walk reads the name as bytes too.
    const plain = tempDir();
    writeFileSync(
      Buffer.concat([Buffer.from(`${plain}/n`), Buffer.from([0xff]), Buffer.from('.txt')]),
      `k="${fakeKey()}"\n`,
    );
    const walked = await runCli(['scan', plain, '--format', 'json'], { cwd: plain, env: isolatedEnv(plain) });
    expect(walked.code).toBe(1);
    expect(parseJson(walked).findings.map((f) => f.path)).toEqual(['n\ufffd.txt']);
  });

  it('the staged scan and the hook read files marked -diff or binary in .gitattributes', async () => {
    const repo = makeRepo();
    repo.write('.gitattributes', '*.env -diff\n*.cfg binary\n');
    repo.git('add', '.gitattributes');
    repo.git('commit', '-qm', 'attributes');
    repo.write('app.env', `KEY=${fakeKey()}\n`);
    repo.write('app.cfg', `key: ${fakeKey()}\n`);
    repo.git('add', '.');
    const scan = parseJson(await repo.signus('scan', '--staged', '--format', 'json'));
    expect(scan.findings.map((f) => `${f.path}:${f.line}`).sort()).toEqual(['app.cfg:1', 'app.env:1']);
    expect((await repo.signus('hook', 'install')).code).toBe(0);
    const commit = repo.tryGit('commit', '-qm', 'keys');
    expect(commit.code).not.toBe(0);
    expect(commit.output).toContain('app.env');
  });
});
