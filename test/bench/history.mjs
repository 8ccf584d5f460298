// The history scan next to `git log -p --all` (the text gitleaks-style scanners read) and to a tree scan of
// HEAD. Any local repository (BENCH_HISTORY_REPO=path, or the first argument when run alone; a bare one is
// fine) is cloned with shared objects into a scratch bare repository, keys are planted in new commits on
// top of old ones (each key added twice, so the first commit must be told apart from the second), and the
// scan must find each with its first commit. Without a repository, a generated 5,000-commit history.
// Standalone: `node test/bench/history.mjs [repo]` prints the section.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeKey } from './corpus.mjs';

const PLANTED = 20;
const GENERATED_COMMITS = 5000;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const availableCores = () => cpus().length;
const fmt = (n, d = 0) => (Number.isNaN(n) ? 'n/a' : n.toFixed(d));

function git(dir, args, opts = {}) {
  return execFileSync('git', args, { cwd: dir, maxBuffer: 1 << 30, ...opts })
    .toString('utf8')
    .trim();
}

/** Wall time, and CPU (user + system of the command and its children, from GNU time when installed). */
function timeShell(command, cwd) {
  const out = join(tmpdir(), `signus-bench-history-${process.pid}`);
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', out, 'sh', '-c', command], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  const [user, sys, kb] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(out, { force: true });
  return { ms, cpu: (user + sys) * 1000, peakMb: kb / 1024, status: r.status };
}

/** A history of GENERATED_COMMITS commits editing a few hundred source-like files, via git fast-import. */
function generateRepo(dir) {
  git(dir, ['init', '-q', '--bare', '-b', 'main']);
  const lines = [];
  const files = 300;
  const content = (f, c) =>
    Array.from(
      { length: 40 + ((f * 7) % 120) },
      (_, i) => `export function f${f}_${i}(x) { return x * ${c + i}; } // rev ${c}`,
    ).join('\n') + '\n';
  for (let c = 1; c <= GENERATED_COMMITS; c++) {
    lines.push('commit refs/heads/main', `committer Bench <bench@example.test> ${1_600_000_000 + c * 600} +0000`);
    const msg = `change ${c}`;
    lines.push(`data ${Buffer.byteLength(msg)}`, msg);
    for (let k = 0; k < 3; k++) {
      const f = (c * 31 + k * 97) % files;
      const data = content(f, c);
      lines.push(`M 100644 inline src/m${f}.js`, `data ${Buffer.byteLength(data)}`, data);
    }
    lines.push('');
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: lines.join('\n') });
}

/** New commits on top of evenly spread old ones: key i added by commit A_i, added again by its child B_i. */
function plant(dir) {
  const all = git(dir, ['rev-list', '--all']).split('\n');
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Planter',
    GIT_AUTHOR_EMAIL: 'planter@example.test',
    GIT_COMMITTER_NAME: 'Planter',
    GIT_COMMITTER_EMAIL: 'planter@example.test',
    GIT_INDEX_FILE: join(dir, 'signus-bench-index'),
  };
  const planted = [];
  for (let i = 0; i < PLANTED; i++) {
    const base = all[Math.floor(((i + 0.5) * all.length) / PLANTED)];
    const key = fakeKey();
    const inMessage = i === PLANTED - 1;
    const blob = (text) => git(dir, ['hash-object', '-w', '--stdin'], { input: text, env });
    const commit = (parent, path, text, message) => {
      git(dir, ['read-tree', parent], { env });
      if (path) git(dir, ['update-index', '--add', '--cacheinfo', `100644,${blob(text)},${path}`], { env });
      const tree = git(dir, ['write-tree'], { env });
      return git(dir, ['commit-tree', tree, '-p', parent, '-m', message], { env });
    };
    const first = inMessage
      ? commit(base, null, null, `debug with ${key}`)
      : commit(base, `planted/config-${i}.js`, `// planted\nexport const apiKey = "${key}";\n`, `planted ${i}`);
    const second = commit(first, `planted/again-${i}.js`, `const again = "${key}";\n`, `again ${i}`);
    git(dir, ['update-ref', `refs/heads/planted-${i}`, second]);
    planted.push({ key, first, inMessage });
  }
  rmSync(join(dir, 'signus-bench-index'), { force: true });
  return planted;
}

export function historyBench(cli, { repo = process.env.BENCH_HISTORY_REPO, runs = 3 } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'signus-bench-history-'));
  const bare = join(work, 'repo.git');
  let source;
  if (repo) {
    const src = resolve(repo);
    // --mirror --shared: every ref, objects borrowed from the source (nothing is copied or changed there).
    git(work, ['clone', '-q', '--mirror', '--shared', src, bare]);
    const head = git(bare, ['rev-parse', 'HEAD']);
    const url = spawnSync('git', ['config', '--get', 'remote.origin.url'], { cwd: src }).stdout?.toString().trim();
    source = `${url || src} at ${head}`;
  } else {
    mkdirSync(bare);
    generateRepo(bare);
    source = `a generated history (${GENERATED_COMMITS} commits editing 300 source files, no repository given)`;
  }
  const commits = Number(git(bare, ['rev-list', '--all', '--count']));
  const refs = git(bare, ['for-each-ref', '--format=%(refname)']).split('\n').length;

  // Clean first: whatever the project holds is reported too, and must not be taken for a planted key.
  const before = JSON.parse(
    spawnSync(process.execPath, [cli, 'scan', '--history', '--format', 'json', '--no-known-keys'], {
      cwd: bare,
      maxBuffer: 1 << 30,
    }).stdout.toString('utf8'),
  );
  const planted = plant(bare);
  const tree = join(work, 'tree');
  mkdirSync(tree);
  execFileSync('sh', ['-c', `git archive HEAD | tar -x -C '${tree}'`], { cwd: bare });

  const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cases = [
    { name: '`git log -p --all` (to /dev/null)', cmd: 'git log -p --all > /dev/null' },
    {
      name: '`signus scan --history` (ours)',
      cmd: `${q(process.execPath)} ${q(cli)} scan --history --no-known-keys --format json > /dev/null`,
    },
    {
      name: "`signus scan` of HEAD's tree (checked out)",
      cmd: `${q(process.execPath)} ${q(cli)} scan ${q(tree)} --no-known-keys --format json > /dev/null`,
    },
  ].map((c) => ({ ...c, times: [], cpu: [], peak: 0 }));
  timeShell(cases[0].cmd, bare); // warm the object cache for everyone
  const loadBefore = loadavg()[0];
  for (let r = 0; r < runs; r++)
    for (const c of cases) {
      const t = timeShell(c.cmd, bare);
      c.times.push(t.ms);
      c.cpu.push(t.cpu);
      c.peak = Math.max(c.peak, t.peakMb);
    }

  const loadAfter = loadavg()[0];
  const run = spawnSync(process.execPath, [cli, 'scan', '--history', '--format', 'json', '--no-known-keys'], {
    cwd: bare,
    maxBuffer: 1 << 30,
  });
  const result = JSON.parse(run.stdout.toString('utf8'));
  const byFp = new Map(result.findings.map((f) => [f.fingerprint, f]));
  const sha256 = (s) => execFileSync('sha256sum', { input: s }).toString().split(' ')[0];
  let right = 0;
  for (const p of planted) {
    const f = byFp.get(sha256(p.key));
    if (f && f.introduced.commit === p.first && (f.introduced.path === null) === p.inMessage) right++;
  }
  const extra = result.findings.length - planted.length - before.findings.length;
  const s = result.summary;
  rmSync(work, { recursive: true, force: true });

  const logMs = median(cases[0].times);
  const oursMs = median(cases[1].times);
  const ratioWall = oursMs / logMs;
  const ratioCpu = median(cases[1].cpu) / median(cases[0].cpu);
  const rows = cases.map(
    (c) =>
      `| ${c.name} | ${c.times.length} | ${fmt(median(c.times))} | ${fmt(median(c.cpu))} | ${fmt(median(c.times) / logMs, 2)}× | ${fmt(c.peak)} |`,
  );
  const md = `The history: ${source}; **${commits} commits, ${refs} refs** (before planting). ${PLANTED} fake keys planted in new
commits on top of evenly spread old ones, each added again by a child commit (so the first commit must be
told from the second); one of them only in a commit message. \`signus scan --history\` read ${s.commits} commits,
${s.blobs} distinct blobs (${fmt(s.bytesRead / 1024 / 1024, 1)} MB). Medians of ${runs} interleaved runs after one warm-up; CPU is
user + system time of the command and every process it starts (git included). 1-minute load average
${fmt(loadBefore, 1)} before the timed runs and ${fmt(loadAfter, 1)} after them on this ${availableCores()}-core machine (other work slows every row's wall time).

| command | runs | median wall ms | median CPU ms | wall vs \`git log -p --all\` | peak MB |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Planted keys found with their right first commit: **${right}/${planted.length}**; ${before.findings.length} key-like strings the project
itself holds (reported before planting), ${Math.max(0, extra)} other findings.`;
  return {
    md,
    targets: [
      `| history scan ≤ 1.0× \`git log -p --all\` (${commits} commits) | ${fmt(ratioWall, 2)}× wall, ${fmt(ratioCpu, 2)}× CPU | ${ratioWall <= 1 ? 'met' : '**not met**'} |`,
      `| every planted key found with its first commit (history) | ${right}/${planted.length} | ${right === planted.length ? 'met' : '**not met**'} |`,
    ],
    ok: right === planted.length && extra <= 0,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cli = fileURLToPath(new URL('../../shared/dist/signus.mjs', import.meta.url));
  const r = historyBench(cli, { repo: process.argv[2] ?? process.env.BENCH_HISTORY_REPO });
  process.stdout.write(`${r.md}\n\n${r.targets.join('\n')}\n`);
  process.exitCode = r.ok ? 0 : 1;
}
