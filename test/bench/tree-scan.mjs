// The tree scan on one tree, as a git work tree: the read floor, `signus scan` reading every file
// (--no-cache), a rescan with nothing changed and one after 1% of the files changed (the rescan cache),
// ripgrep and secretlint, in interleaved rounds; medians and ratios to the floor of the same run. Every
// rescan's report must equal a full scan's of the same files, or the bench fails.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnv } from './corpus.mjs';
import { fmt, median, record, timeOnce } from './timing.mjs';

const PATTERN = '(?:^|[^A-Za-z0-9_-])sk_[A-Za-z0-9_-]{20,}';

/** The report without what differs between two scans of the same files (time, the cache's own note). */
function comparable(stdout) {
  const scan = JSON.parse(stdout);
  return JSON.stringify({
    findings: scan.findings,
    summary: { ...scan.summary, durationMs: 0, skipped: scan.summary.skipped.filter((s) => !/scan cache/.test(s)) },
  });
}

/**
 * Runs the rounds on `tree` (committed here as a git work tree first). `files`: its files, relative;
 * `planted`: where keys were planted ({path, line}); returns the table rows and figures.
 */
export function treeScanBench({
  tree,
  files,
  planted,
  cli,
  floor,
  knownFile,
  runs,
  secretlintRuns,
  secretlint,
  hasRg,
  work,
  log,
}) {
  const env = gitEnv(work);
  const git = (...args) =>
    execFileSync('git', args, { cwd: tree, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'tree');
  git('update-index', '-q', '--refresh');

  const scan = (...extra) => [cli, 'scan', tree, '--format', 'json', '--known-keys', knownFile, ...extra];
  const plantedSet = new Set(planted.map((p) => `${p.path}:${p.line}`));
  const found = (stdout) => {
    const { findings } = JSON.parse(stdout);
    const hit = findings.filter((f) => plantedSet.has(`${f.path}:${f.line}`)).length;
    return { hit, extra: findings.length - hit };
  };

  // 1% of the text files, spread evenly, edited before each "1% changed" run and restored after.
  const editable = files.filter((f) => /\.(js|ts|md|json)$/.test(f));
  const step = Math.max(1, Math.floor(editable.length / Math.max(1, Math.round(files.length / 100))));
  const edits = editable.filter((_, i) => i % step === 0).slice(0, Math.round(files.length / 100));
  const edit = (round) => {
    for (const f of edits) appendFileSync(join(tree, f), `\n// bench edit ${round}\n`);
  };
  const restore = () => {
    git('checkout', '--', ...edits);
    git('update-index', '-q', '--refresh');
  };

  const rc = join(work, 'secretlintrc.json');
  writeFileSync(
    rc,
    JSON.stringify({
      rules: [
        {
          id: '@secretlint/secretlint-rule-pattern',
          options: { patterns: [{ name: 'Signus API key', pattern: `/${PATTERN}/` }] },
        },
      ],
    }),
  );
  const tools = [
    { key: 'floor', name: 'floor: node reads every file', cmd: process.execPath, args: [floor, tree], runs },
    {
      key: 'full',
      name: '`signus scan --no-cache` (reads every file)',
      cmd: process.execPath,
      args: scan('--no-cache'),
      runs,
    },
    {
      key: 'unchanged',
      name: '`signus scan --cache`, rescan, nothing changed',
      cmd: process.execPath,
      args: scan('--cache'),
      runs,
    },
    {
      key: 'changed',
      name: `\`signus scan --cache\`, rescan after ${edits.length} files (1%) changed`,
      cmd: process.execPath,
      args: scan('--cache'),
      runs,
      before: edit,
      after: restore,
    },
    ...(hasRg
      ? [
          {
            key: 'rg',
            name: 'ripgrep, same `sk_` pattern',
            cmd: 'rg',
            args: [
              '--hidden',
              '--no-ignore',
              '--glob',
              '!.git',
              '--count-matches',
              '--no-filename',
              '-e',
              PATTERN,
              tree,
            ],
            runs,
          },
        ]
      : []),
    ...(existsSync(secretlint)
      ? [
          {
            key: 'secretlint',
            name: 'secretlint + pattern rule',
            cmd: process.execPath,
            args: [secretlint, '**/*', '--secretlintrc', rc, '--format', 'json', '--no-color', '--no-gitignore'],
            runs: secretlintRuns,
            cwd: tree,
          },
        ]
      : []),
  ];
  for (const t of tools) Object.assign(t, { times: [], cpu: [] });

  // Warm-up, untimed: the file cache, and the rescan cache written by a first scan.
  timeOnce(process.execPath, [floor, tree]);
  const first = timeOnce(process.execPath, scan('--cache'), { env });
  const reference = comparable(first.stdout);
  let identical = true;
  const rounds = Math.max(...tools.map((t) => t.runs));
  for (let i = 0; i < rounds; i++) {
    for (const t of tools) {
      if (t.times.length >= t.runs) continue;
      log(`round ${i + 1}/${rounds}: ${t.name}`);
      t.before?.(i);
      const r = timeOnce(t.cmd, t.args, { cwd: t.cwd ?? work, env });
      record(t, r);
      t.last = r;
      if (t.key === 'unchanged' && comparable(r.stdout) !== reference) identical = false;
      if (t.key === 'changed') {
        // The same files read by a scan without the cache: the same report.
        const full = timeOnce(process.execPath, scan('--no-cache'), { env });
        if (comparable(r.stdout) !== comparable(full.stdout)) identical = false;
        t.cached = /(\d+) unchanged tracked files? answered/.exec(JSON.parse(r.stdout).summary.skipped.join('\n'))?.[1];
      }
      t.after?.(i);
    }
  }
  const byKey = Object.fromEntries(tools.map((t) => [t.key, t]));
  const ours = found(byKey.full.last.stdout);
  byKey.full.found = `${ours.hit}/${planted.length}`;
  byKey.unchanged.found = byKey.full.found;
  byKey.changed.found = `${found(byKey.changed.last.stdout).hit}/${planted.length}`;
  byKey.floor.found = '—';
  if (byKey.rg)
    byKey.rg.found = `${byKey.rg.last.stdout
      .split('\n')
      .filter(Boolean)
      .reduce((a, n) => a + Number(n), 0)}/${planted.length}`;
  if (byKey.secretlint) {
    let n = 'n/a';
    try {
      n = JSON.parse(byKey.secretlint.last.stdout).reduce((a, r) => a + r.messages.length, 0);
    } catch {
      /* secretlint printed no JSON */
    }
    byKey.secretlint.found = `${n}/${planted.length}`;
  }

  const floorWall = median(byKey.floor.times);
  const floorCpu = median(byKey.floor.cpu);
  const ratio = (t) => median(t.times) / floorWall;
  const rows = tools.map((t) => {
    const m = median(t.times);
    const c = median(t.cpu);
    return `| ${t.name} | ${t.times.length} | ${fmt(m)} | **${fmt(m / floorWall, 2)}×** | ${fmt(c)} | ${fmt(c / floorCpu, 2)}× | ${fmt(t.peak)} | ${t.found} |`;
  });
  return {
    rows,
    ratios: { full: ratio(byKey.full), unchanged: ratio(byKey.unchanged), changed: ratio(byKey.changed) },
    cpuRatios: {
      full: median(byKey.full.cpu) / floorCpu,
      unchanged: median(byKey.unchanged.cpu) / floorCpu,
      changed: median(byKey.changed.cpu) / floorCpu,
    },
    secretlintOverOurs: byKey.secretlint ? median(byKey.secretlint.times) / median(byKey.full.times) : NaN,
    secretlintOverFloor: byKey.secretlint ? median(byKey.secretlint.times) / floorWall : NaN,
    secretlintCpuOverFloor: byKey.secretlint ? median(byKey.secretlint.cpu) / floorCpu : NaN,
    found: ours,
    edits: edits.length,
    cachedOnChange: byKey.changed.cached,
    identical,
    peak: Math.max(byKey.full.peak ?? 0, byKey.unchanged.peak ?? 0, byKey.changed.peak ?? 0),
  };
}

export const TABLE_HEAD = `| run | runs | median wall ms | wall × floor | median CPU ms | CPU × floor | peak MB | found/planted |
| --- | --- | --- | --- | --- | --- | --- | --- |`;
