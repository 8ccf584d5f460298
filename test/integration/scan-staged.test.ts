import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from './cli-run.js';
import { cleanupTempDirs, fakeKey, makeRepo, parseJson, tempDir } from './scan-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

const where = (scan: ReturnType<typeof parseJson>) => scan.findings.map((f) => `${f.path}:${f.line}:${f.column}`);

describe('signus scan --staged, in real git repositories', { timeout: 30_000 }, () => {
  it('a first commit (no HEAD): reports staged keys with their line numbers, exit 1, no secret in the output', async () => {
    const repo = makeRepo();
    const key = fakeKey();
    repo.write('config.json', `{\n  "name": "demo",\n  "apiKey": "${key}"\n}\n`);
    repo.git('add', '.');
    const run = await repo.signus('scan', '--staged');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('config.json:3:14');
    // Run by hand it cannot claim a commit was blocked; inside git's hook (GIT_INDEX_FILE set) it does.
    expect(run.stdout).not.toContain('The commit was blocked');
    expect(run.stdout).toContain('signus hook install');
    expect(run.stdout + run.stderr).not.toContain(key);
    const inHook = await runCli(['scan', '--staged'], {
      cwd: repo.dir,
      env: { ...repo.env, GIT_INDEX_FILE: '.git/index' },
    });
    expect(inHook.code).toBe(1);
    expect(inHook.stdout).toContain('The commit was blocked');
    // VS Code's Source Control view shows only the first line: key, file and remedy are on it.
    expect(inHook.stdout.split('\n')[0]).toBe(
      `signus blocked this commit: config.json:3 holds a Signus API key (sk_••••••••${key.slice(-4)}). ` +
        'Read it from an environment variable (SIGNUS_API_KEY) instead and unstage the file; details below.',
    );
    expect(run.stdout).not.toContain('signus blocked this commit');
    expect(inHook.stdout).toContain('git commit --no-verify');
    expect(where(parseJson(await repo.signus('scan', '--staged', '--format', 'json')))).toEqual(['config.json:3:14']);
  });

  it('scans only the lines the commit adds, numbered in the new file', async () => {
    const repo = makeRepo();
    const old = fakeKey();
    repo.write('a.ts', `const old = "${old}";\nexport {};\n`);
    repo.git('add', '.');
    repo.git('commit', '-qm', 'old key');
    const added = fakeKey();
    repo.write('a.ts', `// header\nconst old = "${old}";\nexport {};\nconst k = "${added}";\n`);
    repo.git('add', '.');
    const scan = parseJson(await repo.signus('scan', '--staged', '--format', 'json'));
    expect(where(scan)).toEqual(['a.ts:4:12']);
  });

  it('scans the index, not the working tree (partial staging, git add -p)', async () => {
    const repo = makeRepo();
    repo.write('app.py', 'print("hi")\n');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'init');
    // Key only in the working tree: does not block.
    repo.write('app.py', `print("hi")\nKEY = "${fakeKey()}"\n`);
    expect((await repo.signus('scan', '--staged')).code).toBe(0);
    // Key only in the index (staged, then removed from the working tree): blocks.
    repo.git('add', 'app.py');
    repo.write('app.py', 'print("hi")\nKEY = os.environ["SIGNUS_API_KEY"]\n');
    const scan = parseJson(await repo.signus('scan', '--staged', '--format', 'json'));
    expect(where(scan)).toEqual(['app.py:2:8']);
  });

  it('renames: a pure rename adds nothing; an edit during the rename is reported under the new path', async () => {
    const repo = makeRepo();
    const key = fakeKey();
    repo.write('old name.env', `A=1\nB=2\nC=3\nD=4\nSIGNUS_API_KEY=${key}\n`);
    repo.git('add', '.');
    repo.git('commit', '-qm', 'init');
    repo.git('mv', 'old name.env', 'new name.env');
    expect((await repo.signus('scan', '--staged')).code).toBe(0);
    repo.write('new name.env', `A=1\nB=2\nC=3\nD=4\nSIGNUS_API_KEY=${key}\nOTHER=${fakeKey()}\n`);
    repo.git('add', '.');
    expect(where(parseJson(await repo.signus('scan', '--staged', '--format', 'json')))).toEqual(['new name.env:6:7']);
  });

  it('copies: a copy of a file with a key is a new occurrence and is reported', async () => {
    const repo = makeRepo();
    const key = fakeKey();
    repo.write('src/a.sh', `export SIGNUS_API_KEY=${key}\n`);
    repo.git('add', '.');
    repo.git('commit', '-qm', 'init');
    repo.write('src/b.sh', `export SIGNUS_API_KEY=${key}\n`);
    repo.git('add', '.');
    expect(where(parseJson(await repo.signus('scan', '--staged', '--format', 'json')))).toEqual(['src/b.sh:1:23']);
  });

  it('deletions and mode changes add no lines', async () => {
    const repo = makeRepo();
    repo.write('gone.txt', `${fakeKey()}\n`);
    repo.write('run.sh', `#!/bin/sh\necho ${fakeKey()}\n`);
    repo.git('add', '.');
    repo.git('commit', '-qm', 'init');
    repo.git('rm', '-q', 'gone.txt');
    chmodSync(join(repo.dir, 'run.sh'), 0o755);
    repo.git('add', '.');
    expect(repo.git('diff', '--cached', '--name-status')).toContain('run.sh');
    const run = await repo.signus('scan', '--staged');
    expect(run.stdout).toContain('No Signus keys found');
    expect(run.code).toBe(0);
  });

  it('skips binary files and says so', async () => {
    const repo = makeRepo();
    repo.write('blob.bin', Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`\n${fakeKey()}\n`)]));
    repo.git('add', '.');
    const run = await repo.signus('scan', '--staged');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('not read: 1 binary file (blob.bin)');
  });

  it('CRLF files and a last line without newline get the right line and column', async () => {
    const repo = makeRepo();
    repo.write('win.ini', `[signus]\r\nuser=me\r\nkey = ${fakeKey()}\r\n`);
    repo.write('tail.txt', `first\nsecond ${fakeKey()}`);
    repo.git('add', '.');
    expect(where(parseJson(await repo.signus('scan', '--staged', '--format', 'json')))).toEqual([
      'tail.txt:2:8',
      'win.ini:3:7',
    ]);
  });

  it('paths with spaces, quotes and unicode are reported as they are', async () => {
    const repo = makeRepo();
    repo.write('dir with space/naïve "quoted" 日本.ts', `export const k = '${fakeKey()}';\n`);
    repo.git('add', '.');
    expect(where(parseJson(await repo.signus('scan', '--staged', '--format', 'json')))).toEqual([
      'dir with space/naïve "quoted" 日本.ts:1:19',
    ]);
  });

  it('merges: lines already on the merged branch are not re-reported; a key added while merging is', async () => {
    const repo = makeRepo();
    repo.write('base.txt', 'base\n');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'base');
    repo.git('checkout', '-qb', 'feature');
    repo.write('feature.txt', `old=${fakeKey()}\n`);
    repo.git('add', '.');
    repo.git('commit', '-qm', 'feature key');
    repo.git('checkout', '-q', 'main');
    repo.write('main.txt', 'main\n');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'main');
    repo.git('merge', '--no-ff', '--no-commit', 'feature');
    const clean = await repo.signus('scan', '--staged');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('merge');
    repo.write('main.txt', `main\nnew=${fakeKey()}\n`);
    repo.git('add', '.');
    expect(where(parseJson(await repo.signus('scan', '--staged', '--format', 'json')))).toEqual(['main.txt:2:5']);
  });

  it('submodules: a gitlink change is not scanned as text and does not fail', async () => {
    const sub = makeRepo();
    sub.write('x.txt', 'x\n');
    sub.git('add', '.');
    sub.git('commit', '-qm', 'sub');
    const repo = makeRepo();
    repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'vendor/sub');
    repo.write('ok.txt', 'ok\n');
    repo.git('add', '.');
    const scan = parseJson(await repo.signus('scan', '--staged', '--format', 'json'));
    expect(scan.findings).toEqual([]);
    expect(scan.summary.notRead.join(' ')).toContain('submodule');
  });

  it('--diff-stdin (the hook) fails closed: output cut short or not from git is an error, never "clean"', async () => {
    const repo = makeRepo();
    repo.write('a.txt', `k=${fakeKey()}\n`);
    repo.git('add', '.');
    const { runCli } = await import('./cli-run.js');
    const cut = await runCli(['scan', '--staged', '--diff-stdin'], {
      cwd: repo.dir,
      env: repo.env,
      input: ':100644 100644',
    });
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/did not complete/);
    const junk = await runCli(['scan', '--staged', '--diff-stdin'], {
      cwd: repo.dir,
      env: repo.env,
      input: 'junk\n#signus-diff-complete\n',
    });
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/not git diff/);
    const empty = await runCli(['scan', '--staged', '--diff-stdin'], {
      cwd: repo.dir,
      env: repo.env,
      input: '\n#signus-diff-complete\n',
    });
    expect(empty.code).toBe(0);
    expect(empty.stdout).not.toMatch(/key-like line/);
    // The marker of a diff git limited to files with a key-like line (what the hook sends): same checks,
    // and the summary says the other files were cleared by git.
    const keyLikeCut = await runCli(['scan', '--staged', '--diff-stdin'], {
      cwd: repo.dir,
      env: repo.env,
      input: ':100644 100644\n#signus-diff-complete key-like\n',
    });
    expect(keyLikeCut.code).toBe(2);
    expect(keyLikeCut.stderr).toMatch(/did not complete/);
    const keyLikeEmpty = await runCli(['scan', '--staged', '--diff-stdin', '--format', 'json'], {
      cwd: repo.dir,
      env: repo.env,
      input: '\n#signus-diff-complete key-like-files\n',
    });
    expect(keyLikeEmpty.code).toBe(0);
    expect(JSON.parse(keyLikeEmpty.stdout).summary.skipped).toContain(
      'git found no key-like line in any other staged file',
    );
  });

  it('outside a git repository: exit 2 with a clear message', async () => {
    const dir = tempDir();
    const repo = makeRepo();
    const { runCli } = await import('./cli-run.js');
    const run = await runCli(['scan', '--staged'], { cwd: dir, env: { ...repo.env, GIT_CEILING_DIRECTORIES: dir } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/git work tree/);
  });
});
