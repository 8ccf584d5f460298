// `pnpm bench`: the leak guard measured next to its floor and to other tools, on this machine.
// Builds a realistic tree (the workspace's installed packages, keys planted), runs each tool in
// interleaved rounds, and prints medians side by side; writes them to docs/benchmarks.md.
// Environment: BENCH_RUNS (default 5), BENCH_HOOK_RUNS (default 20), BENCH_CORPUS_MB (default 100),
// BENCH_SECRETLINT_RUNS (default 3; secretlint is slow), BENCH_KEEP=1 keeps the temp dir,
// BENCH_HISTORY_REPO=path: the repository whose history the history scan is measured on (history.mjs).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyPackages, fakeKey, knownKeysFile, plantKeys } from './corpus.mjs';
import { realCodeBench } from './realcode.mjs';
import { historyBench } from './history.mjs';
import { otherSections } from './doc-section.mjs';
import { fmt, hasTime, median, timeOnce } from './timing.mjs';
import { listFiles, smallFilesTree } from './trees.mjs';
import { TABLE_HEAD, treeScanBench } from './tree-scan.mjs';
import { hookBench } from './hook.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const workspace = join(here, '..', '..');
const CLI = join(workspace, 'shared', 'dist', 'signus.mjs');
const FLOOR = join(here, 'read-floor.mjs');
const SECRETLINT = join(here, '..', 'node_modules', 'secretlint', 'bin', 'secretlint.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HOOK_RUNS = Number(process.env.BENCH_HOOK_RUNS ?? 20);
const SECRETLINT_RUNS = Number(process.env.BENCH_SECRETLINT_RUNS ?? 3);
const CORPUS_BYTES = Number(process.env.BENCH_CORPUS_MB ?? 100) * 1024 * 1024;
const MAX_FILE = 5 * 1024 * 1024;

if (!existsSync(CLI)) throw new Error(`Build the CLI first (pnpm build): ${CLI} is missing.`);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const hasRg = has('rg');
const log = (s) => process.stderr.write(`${s}\n`);

// ---------------------------------------------------------------- the trees
const loadBefore = loadavg()[0];
const work = mkdtempSync(join(tmpdir(), 'signus-bench-'));
const knownKey = fakeKey();
const knownFile = join(work, 'known-keys.json');
writeFileSync(knownFile, knownKeysFile(knownKey, 'Bench key'));

// Tree 1: the workspace's installed packages (from the npm registry by pnpm install), copied.
const tree = join(work, 'tree');
mkdirSync(tree);
log(`Copying installed packages into ${tree} …`);
const { files, bytes } = copyPackages(join(workspace, 'node_modules', '.pnpm'), tree, CORPUS_BYTES, MAX_FILE);
const mb = bytes / 1024 / 1024;
if (process.env.BENCH_ONLY === 'hook') {
  // A quick look at the hook alone (a quiet minute is enough): its rows, nothing written.
  const run = hookBench({ cli: CLI, work, tree, files, runs: HOOK_RUNS });
  for (const c of run.hookCases)
    log(
      `${c.name}: ${fmt(median(c.times), 1)} ms wall (${fmt(c.overWall, 1)} over node), ${fmt(median(c.cpu), 0)} ms CPU (${fmt(c.overCpu, 0)} over node)`,
    );
  log(
    `blocked: exit ${run.blocked.status}, found ${run.hookFound}/${run.hookPlanted.length}; load ${fmt(loadBefore, 1)} → ${fmt(loadavg()[0], 1)}`,
  );
  rmSync(work, { recursive: true, force: true });
  process.exit(run.blocked.status !== 0 && run.hookFound === run.hookPlanted.length ? 0 : 1);
}
// Clean first: on real third-party code the guard must report nothing.
const cleanRun = timeOnce(process.execPath, [CLI, 'scan', tree, '--format', 'json', '--no-known-keys', '--no-cache']);
const cleanFindings = JSON.parse(cleanRun.stdout).findings.length;
const planted = plantKeys(tree, files, 80, knownKey, 20);
const plantedPlain = planted.filter((p) => !p.known).length;
log(
  `${files.length} files, ${fmt(mb, 1)} MB; planted ${planted.length} keys (${plantedPlain} plain, ${planted.length - plantedPlain} base64 of a known key).`,
);

// Tree 2: many small files (fetched from the npm registry by trees.mjs, else generated).
const small = join(work, 'small');
mkdirSync(small);
log(`Preparing the tree of many small files in ${small} …`);
const smallSource = smallFilesTree(small, join(workspace, 'node_modules', '.pnpm'));
const smallFiles = listFiles(small);
const smallBytes = smallFiles.reduce((a, f) => a + readFileSync(join(small, f)).length, 0);
const smallClean = JSON.parse(
  timeOnce(process.execPath, [CLI, 'scan', small, '--format', 'json', '--no-known-keys', '--no-cache']).stdout,
).findings.length;
const smallPlanted = plantKeys(small, smallFiles, 80, knownKey, 20);

const benchOptions = {
  cli: CLI,
  floor: FLOOR,
  knownFile,
  runs: RUNS,
  secretlintRuns: SECRETLINT_RUNS,
  secretlint: SECRETLINT,
  hasRg,
  work,
  log,
};
log('Tree scan: installed packages …');
const packagesRun = treeScanBench({ ...benchOptions, tree, files, planted });
log('Tree scan: many small files …');
const smallRun = treeScanBench({ ...benchOptions, tree: small, files: smallFiles, planted: smallPlanted });
const ourFound = packagesRun.found.hit + smallRun.found.hit;
const ourExtra = packagesRun.found.extra + smallRun.found.extra;
const allPlanted = planted.length + smallPlanted.length;
if (process.env.BENCH_ONLY === 'trees') {
  // A quick look while working on the tree scan: the two tables, nothing written.
  const show = (name, run) =>
    `${name}: full ${fmt(run.ratios.full, 2)}×, unchanged ${fmt(run.ratios.unchanged, 2)}×, 1% ${fmt(run.ratios.changed, 2)}× the floor (CPU ${fmt(run.cpuRatios.full, 2)}× / ${fmt(run.cpuRatios.unchanged, 2)}× / ${fmt(run.cpuRatios.changed, 2)}×); identical: ${run.identical}`;
  log(`\n${TABLE_HEAD}\n${packagesRun.rows.join('\n')}\n\n${TABLE_HEAD}\n${smallRun.rows.join('\n')}`);
  log(`${show('packages', packagesRun)}\n${show('small files', smallRun)}`);
  log(
    `found ${ourFound}/${allPlanted}, extra ${ourExtra}, clean ${cleanFindings + smallClean}; load ${fmt(loadBefore, 1)} → ${fmt(loadavg()[0], 1)}`,
  );
  if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
  process.exit(ourFound === allPlanted && ourExtra === 0 && packagesRun.identical && smallRun.identical ? 0 : 1);
}

// ---------------------------------------------------------------- the hook on a 10k-line change
const { hookCases, stagedLines, hookPlanted, hookFound, blocked, nodeMedian, nodeCpu, hookCase, hookFullCase } =
  hookBench({
    cli: CLI,
    work,
    tree,
    files,
    runs: HOOK_RUNS,
  });

// ---------------------------------------------------------------- precision on real code
const realCode = realCodeBench(CLI);
log('History scan …');
const historyRun = historyBench(CLI, { runs: RUNS });

// ---------------------------------------------------------------- report
const hookMedian = median(hookCase.times);
const hookRows = hookCases.map(
  (c) =>
    `| ${c.name} | ${c.times.length} | ${fmt(median(c.times), 1)} | ${fmt(c.overWall, 1)} | ${fmt(median(c.cpu), 0)} | ${fmt(c.overCpu, 0)} | ${fmt(c.peak)} |`,
);
const ourPeak = Math.max(packagesRun.peak, smallRun.peak, hookCase.peak ?? 0, hookFullCase.peak ?? 0);
const sign = (n) => `${n >= 0 ? '+' : ''}${fmt(n, 1)}`;
const check = (ok) => (ok ? 'met' : '**not met**');
const treeTargets = (name, run) => [
  `| ${name}: full scan ≤ 1.1× the read floor | ${fmt(run.ratios.full, 2)}× wall, ${fmt(run.cpuRatios.full, 2)}× CPU | ${check(run.ratios.full <= 1.1)} |`,
  `| ${name}: rescan, nothing changed, ≤ 0.25× the read floor | ${fmt(run.ratios.unchanged, 2)}× wall, ${fmt(run.cpuRatios.unchanged, 2)}× CPU | ${check(run.ratios.unchanged <= 0.25)} |`,
  `| ${name}: rescan after 1% changed ≤ 0.3× the read floor | ${fmt(run.ratios.changed, 2)}× wall, ${fmt(run.cpuRatios.changed, 2)}× CPU | ${check(run.ratios.changed <= 0.3)} |`,
  `| ${name}: every rescan's report identical to a full scan's | ${run.identical ? 'identical' : 'different'} | ${check(run.identical)} |`,
];
const slOverOurs = packagesRun.secretlintOverOurs;
const slFloorCpu = packagesRun.secretlintCpuOverFloor;
const targets = [
  ...treeTargets('installed packages', packagesRun),
  ...treeTargets('many small files', smallRun),
  Number.isNaN(slOverOurs)
    ? '| tree scan ≥ 20× faster than secretlint | secretlint not installed | — |'
    : `| tree scan (full) ≥ 20× faster than secretlint (installed packages) | ${fmt(slOverOurs, 1)}× wall | ${check(slOverOurs >= 20)} |`,
  `| hook median within 50 ms of \`node -e 0\` (10k-line change) | ${sign(hookMedian - nodeMedian)} ms wall, ${sign(median(hookCase.cpu) - nodeCpu)} ms CPU | ${check(hookMedian - nodeMedian <= 50)} |`,
  `| … same, when node must run the full scan | ${sign(median(hookFullCase.times) - nodeMedian)} ms wall, ${sign(median(hookFullCase.cpu) - nodeCpu)} ms CPU | ${check(median(hookFullCase.times) - nodeMedian <= 50)} |`,
  Number.isNaN(slOverOurs)
    ? ''
    : `| (for scale: Node only reading every file vs secretlint) | ${fmt(packagesRun.secretlintOverFloor, 1)}× wall, ${fmt(slFloorCpu, 1)}× CPU: the most a Node scanner that reads every file can reach; a rescan reads less | — |`,
  `| peak memory under 150 MB | ${fmt(ourPeak)} MB | ${hasTime ? check(ourPeak < 150) : 'n/a (no /usr/bin/time)'} |`,
  `| every planted key found (both trees) | ${ourFound}/${allPlanted}, ${ourExtra} other findings | ${check(ourFound === allPlanted && ourExtra === 0)} |`,
  `| every planted key found (hook) | ${hookFound}/${hookPlanted.length}, commit blocked: ${blocked.status !== 0 ? 'yes' : 'no'} | ${check(hookFound === hookPlanted.length && blocked.status !== 0)} |`,
  `| no finding on the clean trees | ${cleanFindings + smallClean} findings | ${check(cleanFindings + smallClean === 0)} |`,
  realCode.target,
  ...historyRun.targets,
];
const cpu = cpus();
const machine = [
  `- ${type()} ${release()}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${fmt(totalmem() / 1024 ** 3, 1)} GB RAM`,
  `- Node ${process.version}; ${execFileSync('git', ['--version']).toString().trim()}; ${hasRg ? execFileSync('rg', ['--version']).toString().split('\n')[0] : 'ripgrep not installed'}; secretlint ${existsSync(SECRETLINT) ? JSON.parse(readFileSync(join(here, '..', 'node_modules', 'secretlint', 'package.json'), 'utf8')).version : 'not installed'}`,
  `- Run ${new Date().toISOString()}; 1-minute load average ${fmt(loadBefore, 1)} at the start, ${fmt(loadavg()[0], 1)} at the end (other work on this machine slows wall times; CPU times are steadier).`,
  '- The file cache is warm after the first round; every tool gets the same warm cache.',
];
const md = `# Leak guard benchmarks

Produced by \`pnpm bench\` (test/bench/run.mjs); the figures below are from its last run. Re-run to refresh.

## Machine
${machine.join('\n')}

## Tree scan
Two trees, each committed as a git work tree, scanned by every tool in interleaved rounds; medians, and
ratios to the read floor **of the same run** (other work on this shared machine moves all rows alike).
The floor is Node walking the tree and reading every file into one reused buffer (test/bench/read-floor.mjs:
the fastest simple read we found; \`readFileSync\` per file was ~20% slower). \`signus scan --no-cache\`
reads every file; \`signus scan --cache\` answers tracked files git vouches unchanged from the rescan
cache, written by a first, untimed scan. For the 1% row, 1% of the text files
get a line appended before each run (untimed) and are restored after; each such rescan's report is
compared with a \`--no-cache\` scan of the same files, as is each unchanged rescan's with the first scan's.
Wall time includes process start. ripgrep (all cores) and secretlint use the same \`sk_\` pattern; neither
knows the user's keys, so neither can find the base64 ones. Keys planted in each tree: 80 key-shaped and
20 the base64 of a key in a known-keys file, each as a new line in its own file.

**Installed packages**: the workspace's installed third-party packages (node_modules/.pnpm, from the npm
registry by \`pnpm install\`), copied file by file up to ${fmt(CORPUS_BYTES / 1024 / 1024)} MB (files ≤ 5 MB):
**${files.length} files, ${fmt(mb, 1)} MB**. Before planting, \`signus scan\` reported **${cleanFindings}** findings on it.

${TABLE_HEAD}
${packagesRun.rows.join('\n')}

**Many small files**: ${smallSource.what}: **${smallFiles.length} files, ${fmt(smallBytes / 1024 / 1024, 1)} MB**
(${fmt(smallBytes / smallFiles.length / 1024, 1)} KB a file on average). Before planting, \`signus scan\` reported **${smallClean}** findings on it.

${TABLE_HEAD}
${smallRun.rows.join('\n')}

## Precision on real code
${realCode.md}

## History scan (\`signus scan --history\`)
${historyRun.md}

## Commit-time latency (pre-commit hook)
A temporary repository with a staged change of **${stagedLines} added lines** (20 files of real code from the
tree). The hook runs one \`git diff --cached --exit-code -G<candidate-line regex>\`: if no staged line could
hold a key, git exits 0 and the commit passes without starting node; otherwise its diff of the files that
have such a line goes (through an unlinked file in git's directory) to \`node signus-hook.cjs scan --staged
--diff-stdin\` (the hook's own file: only that command, compiled from V8's code cache after the first run; no
npx). Both paths are measured: the second with one key-like placeholder added to
one of the 20 files. Median of ${HOOK_RUNS} interleaved runs; CPU is user + system time of the hook and
every process it starts (GNU time, 10 ms resolution).

| command | runs | median wall ms | wall over \`node -e 0\` | median CPU ms | CPU over \`node -e 0\` | peak MB |
| --- | --- | --- | --- | --- | --- | --- |
${hookRows.join('\n')}

With 5 keys added to that change the hook blocked the commit (exit ${blocked.status}) and reported ${hookFound}/${hookPlanted.length} of them.

## Targets (2-core machine)
| target | measured | |
| --- | --- | --- |
${targets.filter(Boolean).join('\n')}
`;
process.stdout.write(`\n${md}`);
const docs = join(workspace, 'docs', 'benchmarks.md');
writeFileSync(docs, md + otherSections(docs));
log(`\nWrote ${docs}`);
if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
else log(`Kept ${work}`);
// Correctness, not speed, decides the exit code: a missed key or a false positive fails.
process.exitCode =
  ourFound === allPlanted &&
  ourExtra === 0 &&
  cleanFindings + smallClean === 0 &&
  packagesRun.identical &&
  smallRun.identical &&
  hookFound === hookPlanted.length &&
  realCode.ok &&
  historyRun.ok
    ? 0
    : 1;
