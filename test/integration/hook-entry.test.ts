// The pre-commit hook's own file (shared/dist/signus-hook.cjs, src/cli/hook-loader.ts): the same answer as
// `signus scan --staged --diff-stdin`, its V8 code cache kept right, and hooks without it still working.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, CLI, runCli, type CliRun } from './cli-run.js';
import { cleanupTempDirs, fakeKey, makeRepo, tempDir, type Repo } from './scan-helpers.js';
import { knownKeyFingerprints } from '@signus/shared';

const HOOK_ENTRY = join(dirname(CLI), 'signus-hook.cjs');
const HOOK_ARGS = ['scan', '--staged', '--diff-stdin'];

beforeAll(() => {
  assertCliBuilt();
  if (!existsSync(HOOK_ENTRY)) throw new Error(`The hook's file is not built (${HOOK_ENTRY}). Run "pnpm build".`);
});
afterAll(cleanupTempDirs);

/** The diff the hook pipes into node, made by the hook's own git line (read from the installed hook). */
function hookDiff(repo: Repo): string {
  const hook = readFileSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), 'utf8');
  const line = /^\{ git diff --cached .*; \} \|$/m.exec(hook)![0].slice(0, -2);
  return execFileSync('sh', ['-c', line], { cwd: repo.dir, env: repo.env }).toString('utf8');
}

const comparable = (r: CliRun) => ({
  code: r.code,
  stdout: r.stdout.replace(/ in \d+ ms/g, ' in N ms'),
  stderr: r.stderr.replace(/ in \d+ ms/g, ' in N ms'),
});

async function bothWays(repo: Repo, input: string, env: Record<string, string> = {}) {
  const options = { cwd: repo.dir, env: { ...repo.env, ...env }, input };
  const cli = await runCli(HOOK_ARGS, options);
  const hook = await runCli(HOOK_ARGS, { ...options, cli: HOOK_ENTRY });
  return { cli: comparable(cli), hook: comparable(hook) };
}

function cacheFiles(home: string): string[] {
  const dir = join(home, '.cache', 'signus');
  return existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
}

describe('the hook entry (signus-hook.cjs)', { timeout: 60_000 }, () => {
  it('answers exactly as signus scan --staged --diff-stdin: keys, allow comments, .signusignore, baseline, known keys, bad input', async () => {
    const repo = makeRepo();
    repo.write('README.md', '# demo\n');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'init');
    expect((await repo.signus('hook', 'install')).code).toBe(0);
    const [live, allowed, ignored, baselined, known] = [fakeKey(), fakeKey(), fakeKey(), fakeKey(), fakeKey()];
    repo.write('clean.js', 'const a = 1;\n// Authorization: Bearer sk_your_signus_api_key_here\n');
    repo.write('live.js', `const key = "${live}";\nconst other = "${allowed}"; // signus:allow\n`);
    repo.write('ignored.js', `const key = "${ignored}";\n`);
    repo.write('base.js', `const key = "${baselined}";\n`);
    repo.write('known.js', `const encoded = "${Buffer.from(known).toString('base64')}";\n`);
    repo.git('add', '.');
    // The baseline and .signusignore as the user writes them: baseline from a scan of base.js alone.
    const baseline = await repo.signus('scan', 'base.js', '--write-baseline', '.signus-baseline.json');
    expect(baseline.code).toBe(0);
    const ignoreFp = JSON.parse((await repo.signus('scan', 'ignored.js', '--format', 'json')).stdout).findings[0]
      .fingerprint as string;
    repo.write('.signusignore', `${ignoreFp}\n`);
    const knownFile = join(tempDir('signus-known-'), 'known-keys.json');
    const fingerprints = await knownKeyFingerprints(known);
    writeFileSync(knownFile, JSON.stringify({ version: 1, keys: [{ label: 'Team key', fingerprints }] }));

    const diff = hookDiff(repo);
    const withKeys = await bothWays(repo, diff, { SIGNUS_KNOWN_KEYS: knownFile });
    expect(withKeys.hook).toEqual(withKeys.cli);
    expect(withKeys.hook.code).toBe(1);
    expect(withKeys.hook.stdout).toContain('live.js:1');
    expect(withKeys.hook.stdout).toContain('known.js:1');
    expect(withKeys.hook.stdout).toContain('Team key');
    for (const hidden of ['ignored.js', 'base.js:', 'live.js:2']) expect(withKeys.hook.stdout).not.toContain(hidden);
    for (const key of [live, allowed, ignored, baselined, known]) {
      expect(withKeys.hook.stdout).not.toContain(key);
      expect(withKeys.hook.stderr).not.toContain(key);
    }

    repo.git('rm', '-q', '--cached', 'live.js', 'known.js');
    const clean = await bothWays(repo, hookDiff(repo));
    expect(clean.hook).toEqual(clean.cli);
    expect(clean.hook.code).toBe(0);

    // Fails closed on what is not (all of) git's output, with the same message.
    for (const input of [diff.slice(0, 40), 'junk\n#signus-diff-complete key-like-files\n', '']) {
      const bad = await bothWays(repo, input);
      expect(bad.hook).toEqual(bad.cli);
      expect(bad.hook.code).toBe(2);
    }
  });

  it('keeps V8 code in the user cache directory: written once, reused, rewritten when refused; SIGNUS_CODE_CACHE=0 writes none', async () => {
    const repo = makeRepo();
    repo.write('README.md', '# demo\n');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'init');
    expect((await repo.signus('hook', 'install')).code).toBe(0);
    repo.write('a.js', `const key = "${fakeKey()}";\n`);
    repo.git('add', '.');
    const diff = hookDiff(repo);
    const run = (env: Record<string, string> = {}) =>
      runCli(HOOK_ARGS, { cli: HOOK_ENTRY, cwd: repo.dir, env: { ...repo.env, ...env }, input: diff });
    const home = repo.env.HOME!;

    const off = await run({ SIGNUS_CODE_CACHE: '0' });
    expect(off.code).toBe(1);
    expect(cacheFiles(home)).toEqual([]);

    const first = await run();
    expect(first.code).toBe(1);
    const [file] = cacheFiles(home);
    expect(cacheFiles(home)).toHaveLength(1);
    expect(file).toMatch(new RegExp(`hook-[0-9a-f]{16}-${process.version}-${process.arch}\\.v8cache$`));
    expect(statSync(file!).mode & 0o077).toBe(0);
    const written = readFileSync(file!);
    expect(written.length).toBeGreaterThan(1000);

    // Accepted: not written again, same answer.
    const mtime = statSync(file!).mtimeMs;
    const second = await run();
    expect(comparable(second)).toEqual(comparable(first));
    expect(statSync(file!).mtimeMs).toBe(mtime);

    // Refused (garbage, or cut short): compiled as usual, same answer, and written again whole.
    for (const bad of [Buffer.alloc(written.length, 7), written.subarray(0, 100)]) {
      writeFileSync(file!, bad);
      const again = await run();
      expect(comparable(again)).toEqual(comparable(first));
      expect(readFileSync(file!).equals(bad)).toBe(false);
      expect(readFileSync(file!).length).toBeGreaterThan(1000);
    }
    expect(cacheFiles(home)).toHaveLength(1);

    // XDG_CACHE_HOME is honoured.
    const xdg = tempDir('signus-xdg-');
    expect((await run({ XDG_CACHE_HOME: xdg })).code).toBe(1);
    expect(readdirSync(join(xdg, 'signus'))).toHaveLength(1);

    // Earlier builds' caches: a new build's first write keeps the three newest beside its own and
    // leaves anything that is not a hook cache alone.
    const dir = join(home, '.cache', 'signus');
    rmSync(file!);
    const old = [1, 2, 3, 4, 5].map((n) => {
      const name = join(dir, `hook-${String(n).repeat(16)}-${process.version}-${process.arch}.v8cache`);
      writeFileSync(name, 'old');
      utimesSync(name, n * 1000, n * 1000);
      return name;
    });
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect((await run()).code).toBe(1);
    expect(cacheFiles(home).sort()).toEqual([file!, ...old.slice(2), join(dir, 'notes.txt')].sort());
  });

  it('runs the whole CLI for any other arguments', async () => {
    const version = await runCli(['--version'], { cli: HOOK_ENTRY });
    expect(version.code).toBe(0);
    expect(version.stdout).toBe((await runCli(['--version'])).stdout);
    const other = await runCli(['scan', '--staged', '--diff-stdin', '--format', 'json'], { cli: HOOK_ENTRY });
    expect(other.code).toBe(2); // not a git work tree: the CLI's own answer, not the hook's text report
    expect(other.stderr).toContain('signus scan:');
  });

  it('holds only the hook command: no argument parser, no other formatter or command', () => {
    const text = readFileSync(HOOK_ENTRY, 'utf8');
    for (const absent of ['parseArgs', 'Usage: signus', 'sarif', 'gitlab', 'filter-repo', 'scanTree', 'verifyKeys'])
      expect(text).not.toContain(absent);
    expect(text.length).toBeLessThan(readFileSync(CLI, 'utf8').length / 2);
  });

  it('one git run decides and feeds node, leaving no file behind; a linked worktree, a hook run by hand and a failing git still block', async () => {
    const repo = makeRepo();
    repo.write('README.md', '# demo\n');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'init');
    expect((await repo.signus('hook', 'install')).code).toBe(0);
    const scratch = () => readdirSync(join(repo.dir, '.git')).filter((f) => f.startsWith('signus-staged-diff'));
    const key = fakeKey();

    repo.write('plain.ts', 'export const one = 1;\n');
    repo.git('add', '.');
    const fast = repo.tryGit('commit', '-qm', 'plain');
    expect(fast).toEqual({ code: 0, output: '' }); // node never started: it would have printed its summary
    repo.write('client.ts', `const key = "${key}";\n`);
    repo.git('add', '.');
    const blocked = repo.tryGit('commit', '-m', 'client');
    expect(blocked.code).toBe(1);
    expect(blocked.output).toContain('client.ts:1');
    expect(blocked.output).not.toContain(key);
    expect(scratch()).toEqual([]);

    // A linked worktree: git's directory for it is .git/worktrees/<name>, where GIT_INDEX_FILE points.
    const linked = join(tempDir('signus-linked-'), 'linked');
    repo.git('worktree', 'add', '-q', linked);
    writeFileSync(join(linked, 'k.ts'), `const key = "${key}";\n`);
    const inLinked = (...args: string[]) => spawnSync('git', args, { cwd: linked, env: repo.env, encoding: 'utf8' });
    inLinked('add', 'k.ts');
    const linkedCommit = inLinked('commit', '-m', 'k');
    expect(linkedCommit.status).toBe(1);
    expect(linkedCommit.stdout + linkedCommit.stderr).toContain('k.ts:1');
    // The hook run by hand there (no GIT_INDEX_FILE, .git is a file): the two-run path, same answer.
    const byHand = spawnSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), [], {
      cwd: linked,
      env: repo.env,
      encoding: 'utf8',
    });
    expect(byHand.status).toBe(1);
    expect(byHand.stdout).toContain('k.ts:1');
    expect(readdirSync(join(repo.dir, '.git', 'worktrees', 'linked')).filter((f) => f.startsWith('signus'))).toEqual(
      [],
    );

    // A link left where the hook makes its file (the hook's shell keeps this sh's pid through exec):
    // never written through; the hook takes the two-run path and still blocks.
    const target = join(tempDir('signus-target-'), 'precious');
    writeFileSync(target, 'keep\n');
    const trapped = spawnSync(
      'sh',
      [
        '-c',
        'ln -s "$1" ".git/signus-staged-diff.$$" && exec "$2"',
        'sh',
        target,
        join(repo.dir, '.git', 'hooks', 'pre-commit'),
      ],
      {
        cwd: repo.dir,
        env: repo.env,
        encoding: 'utf8',
      },
    );
    expect(trapped.status).toBe(1);
    expect(trapped.stdout).toContain('client.ts:1');
    expect(readFileSync(target, 'utf8')).toBe('keep\n');
    for (const f of scratch()) rmSync(join(repo.dir, '.git', f));

    // git cannot read a staged blob: no marker, node refuses, the commit is blocked.
    repo.write('broken.ts', `const key = "${fakeKey()}";\n`);
    repo.git('add', 'broken.ts');
    const blob = repo.git('rev-parse', ':broken.ts').trim();
    rmSync(join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    repo.write('broken.ts', 'changed in the work tree, so git must read the staged blob\n');
    // (git commit itself refuses such an index, so the hook is run as git runs it, GIT_INDEX_FILE set.)
    const failing = spawnSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), [], {
      cwd: repo.dir,
      env: { ...repo.env, GIT_INDEX_FILE: join(repo.dir, '.git', 'index') },
      encoding: 'utf8',
    });
    expect(failing.status).toBe(2);
    expect(failing.stderr).toContain('git diff did not complete');
    expect(scratch()).toEqual([]);
  });

  it('a hook installed from a CLI without the file (as the VS Code extension ships it) runs the CLI and still blocks', async () => {
    const alone = join(tempDir('signus-cli-alone-'), 'signus.mjs');
    copyFileSync(CLI, alone);
    const repo = makeRepo();
    repo.write('README.md', '# demo\n');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'init');
    expect((await runCli(['hook', 'install'], { cli: alone, cwd: repo.dir, env: repo.env })).code).toBe(0);
    const key = fakeKey();
    repo.write('client.ts', `const key = "${key}";\n`);
    repo.git('add', '.');
    const blocked = repo.tryGit('commit', '-m', 'add client');
    expect(blocked.code).toBe(1);
    expect(blocked.output).toContain('client.ts:1');
    expect(blocked.output).not.toContain(key);
    expect(cacheFiles(repo.env.HOME!)).toEqual([]);
  });
});
