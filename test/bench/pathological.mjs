// `pnpm bench`, part 2: the leak guard on crafted inputs that once froze it (issue 9 §3). Each input
// is one file of 1, 3 and 10 MB; `signus scan` runs on it in a child process, with and without a
// known-keys file, and GNU time reports its CPU time and peak resident memory. Growth from 1 to 10 MB
// should be linear; targets: ≤ 2 s and ≤ 300 MB at 10 MB. The 10 MB files are also committed through
// the pre-commit hook. Section "pathological" of docs/benchmarks.md.
// Environment: BENCH_PATHOLOGICAL_SIZES (MB, default "1,3,10"), BENCH_KEEP=1 keeps the temp dir.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeKey, gitEnv, knownKeysFile } from './corpus.mjs';
import { writeSection } from './doc-section.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const workspace = join(here, '..', '..');
const CLI = join(workspace, 'shared', 'dist', 'signus.mjs');
const SIZES = (process.env.BENCH_PATHOLOGICAL_SIZES ?? '1,3,10').split(',').map(Number);
const LIMIT_MS = 2000;
const LIMIT_MB = 300;
if (!existsSync(CLI)) throw new Error(`Build the CLI first (pnpm build): ${CLI} is missing.`);
if (!existsSync('/usr/bin/time')) throw new Error('GNU time (/usr/bin/time) is needed to measure peak memory.');
const log = (s) => process.stderr.write(`${s}\n`);
const fmt = (n, d = 0) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(d));

const repeat = (unit) => (bytes) => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
const INPUTS = [
  { name: '`sk_` repeated', file: 'sk', make: repeat('sk_') },
  { name: '`c2tf` (base64 of `sk_`) repeated', file: 'c2tf', make: repeat('c2tf') },
  { name: '`%41sk_` repeated', file: 'pct', make: repeat('%41sk_') },
  { name: '`\\nsk_` (JSON escape) repeated', file: 'nl', make: repeat('\\nsk_') },
  {
    name: 'fake keys on one line, comma-separated',
    file: 'keys',
    make: (bytes) => {
      const keys = [];
      for (let n = 0; n < bytes;) {
        const k = `${fakeKey()},`;
        keys.push(k);
        n += k.length;
      }
      return keys.join('');
    },
  },
];

/** One run in a child process: wall time here, CPU time and peak RSS from GNU time. */
function timeOnce(args, cwd) {
  const out = join(tmpdir(), `signus-bench-patho-${process.pid}`);
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', out, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 28,
    env: { ...process.env, SIGNUS_KNOWN_KEYS: join(cwd, 'none.json') },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const [user, sys, kb] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(out, { force: true });
  return { ms, cpuMs: (user + sys) * 1000, peakMb: kb / 1024, status: r.status, stdout: r.stdout.toString() };
}

const loadBefore = loadavg()[0];
const work = mkdtempSync(join(tmpdir(), 'signus-bench-patho-'));
const known = join(work, 'known-keys.json');
writeFileSync(known, knownKeysFile(fakeKey(), 'Bench key'));
const rows = [];
const failures = [];
for (const input of INPUTS) {
  for (const mb of SIZES) {
    const text = input.make(mb * 1024 * 1024);
    const file = join(work, `${input.file}-${mb}mb.txt`);
    writeFileSync(file, text);
    const expected = input.file === 'keys' ? text.split(',').length - 1 : 0;
    for (const withKnown of [false, true]) {
      log(`${input.file} ${mb} MB${withKnown ? ', known keys' : ''}`);
      const keysArgs = withKnown ? ['--known-keys', known] : ['--no-known-keys'];
      const r = timeOnce(
        [process.execPath, CLI, 'scan', file, '--format', 'json', '--max-file-size', '64MB', ...keysArgs],
        work,
      );
      let found = 'n/a';
      if (r.status === 0 || r.status === 1) {
        const { findings, summary } = JSON.parse(r.stdout);
        const unlisted = summary.skipped
          .map((s) => /^(\d+) more findings? /.exec(s)?.[1])
          .filter(Boolean)
          .reduce((a, n) => a + Number(n), 0);
        found = findings.length + unlisted;
        if (found !== expected) failures.push(`${input.file} ${mb} MB: ${found} findings, expected ${expected}`);
      } else failures.push(`${input.file} ${mb} MB: exit ${r.status}`);
      rows.push({ input: input.name, mb, withKnown, ...r, found, expected });
    }
  }
}

// The 10 MB files committed: the hook's full path (git -G lets them through, node scans the diff).
const hookRows = [];
const biggest = Math.max(...SIZES);
const repo = join(work, 'repo');
mkdirSync(repo);
const genv = gitEnv(work);
const git = (...args) => execFileSync('git', args, { cwd: repo, env: genv, stdio: ['ignore', 'pipe', 'pipe'] });
git('init', '-q', '-b', 'main');
git('commit', '-q', '--allow-empty', '-m', 'base');
execFileSync(process.execPath, [CLI, 'hook', 'install', '--repo', repo], { env: genv, stdio: 'ignore' });
for (const input of INPUTS) {
  git('rm', '-q', '--cached', '-r', '--ignore-unmatch', '.');
  writeFileSync(join(repo, `${input.file}.txt`), readFileSync(join(work, `${input.file}-${biggest}mb.txt`)));
  git('add', `${input.file}.txt`);
  for (const withKnown of [false, true]) {
    log(`hook: ${input.file} ${biggest} MB${withKnown ? ', known keys' : ''}`);
    const hookEnv = withKnown ? known : join(work, 'none.json');
    const start = process.hrtime.bigint();
    const out = join(work, 'hook-time');
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', out, join(repo, '.git', 'hooks', 'pre-commit')], {
      cwd: repo,
      env: { ...genv, SIGNUS_KNOWN_KEYS: hookEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 28,
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const [user, sys, kb] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    const blocks = input.file === 'keys';
    if ((r.status !== 0) !== blocks) failures.push(`hook on ${input.file}: exit ${r.status}`);
    hookRows.push({
      input: input.name,
      withKnown,
      ms,
      cpuMs: (user + sys) * 1000,
      peakMb: kb / 1024,
      status: r.status,
    });
  }
  git('rm', '-q', '--cached', `${input.file}.txt`);
  rmSync(join(repo, `${input.file}.txt`));
}

// Judged on CPU time: on this shared machine other jobs stretch wall time (see the load average).
const ok = (r) => r.cpuMs <= LIMIT_MS && r.peakMb <= LIMIT_MB;
const mark = (r) => (ok(r) ? 'met' : '**not met**');
const table = rows.map(
  (r) =>
    `| ${r.input} | ${r.mb} | ${r.withKnown ? 'yes' : 'no'} | ${fmt(r.ms)} | ${fmt(r.cpuMs)} | ${fmt(r.peakMb)} | ${r.found}/${r.expected} | ${r.mb === biggest ? mark(r) : ''} |`,
);
const growth = INPUTS.flatMap((input) =>
  [false, true].map((withKnown) => {
    const of = (mb) => rows.find((r) => r.input === input.name && r.mb === mb && r.withKnown === withKnown);
    const [a, b] = [of(SIZES[0]), of(biggest)];
    return `| ${input.name} | ${withKnown ? 'yes' : 'no'} | ${SIZES.map((mb) => fmt(of(mb).cpuMs)).join(' / ')} | ${fmt(b.cpuMs / a.cpuMs, 1)}× for ${fmt(biggest / SIZES[0], 0)}× the size |`;
  }),
);
const hookTable = hookRows.map(
  (r) =>
    `| ${r.input} | ${r.withKnown ? 'yes' : 'no'} | ${fmt(r.ms)} | ${fmt(r.cpuMs)} | ${fmt(r.peakMb)} | ${r.status} | ${mark(r)} |`,
);
const md = `## Pathological inputs (bounded work)
Produced by \`test/bench/pathological.mjs\` (part of \`pnpm bench\`), ${new Date().toISOString()}; 1-minute load
average ${fmt(loadBefore, 1)} at the start, ${fmt(loadavg()[0], 1)} at the end. One file per input, scanned by
\`signus scan FILE --format json\` in its own process (process start included); CPU is user + system
time and peak is the child's maximum resident set (GNU time). Found counts listed findings plus those
counted past the per-file cap. Target at ${biggest} MB: ≤ ${LIMIT_MS} ms and ≤ ${LIMIT_MB} MB, judged on CPU time:
other jobs on this shared 2-core machine stretch wall time (see the load average), not the work done. Before issue 9, 100 KB of \`sk_\`
took 49 s with a known-keys file and 800 KB of keys on one line ran out of memory.

| input | MB | known keys | wall ms | CPU ms | peak MB | found/keys in it | target (${biggest} MB) |
| --- | --- | --- | --- | --- | --- | --- | --- |
${table.join('\n')}

Growth (CPU ms at ${SIZES.join(' / ')} MB):

| input | known keys | CPU ms | growth |
| --- | --- | --- | --- |
${growth.join('\n')}

The ${biggest} MB files committed through the pre-commit hook (\`git commit\` of that one file; the hook's
full path, since each holds key-like lines). Exit 1 means the commit was blocked.

| staged file | known keys | wall ms | CPU ms | peak MB | exit | target |
| --- | --- | --- | --- | --- | --- | --- |
${hookTable.join('\n')}
`;
process.stdout.write(`\n${md}`);
const docs = join(workspace, 'docs', 'benchmarks.md');
writeSection(docs, 'pathological', md);
log(`\nWrote the pathological section of ${docs}`);
if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
else log(`Kept ${work}`);
for (const f of failures) log(`FAILED: ${f}`);
process.exitCode = failures.length ? 1 : 0;
