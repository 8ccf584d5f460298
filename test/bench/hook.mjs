// The pre-commit hook on a 10k-line change of real code, next to `node -e 0`: the fast path (git -G rules
// every line out), the full scan in node (one key-like placeholder staged), and a change with keys it must block.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeKey, gitEnv } from './corpus.mjs';
import { median, record, timeOnce } from './timing.mjs';

const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `files` (relative to `tree`): real code whose lines make the change. */
export function hookBench({ cli: CLI, work, tree, files, runs: HOOK_RUNS }) {
  const repo = join(work, 'repo');
  mkdirSync(repo);
  const genv = gitEnv(work);
  const git = (...args) =>
    execFileSync('git', args, { cwd: repo, env: genv, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README.md'), '# bench\n');
  git('add', '.');
  git('commit', '-qm', 'base');
  // 10,000 added lines of real code from the tree, in files of 500 lines.
  const source = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(tree, f), 'utf8'));
  const pool = source
    .join('\n')
    .split('\n')
    .filter((l) => l.length < 300 && !l.includes('sk_'));
  const changeFiles = 20;
  let cursor = 0;
  for (let i = 0; i < changeFiles; i++) {
    const lines = [];
    for (let j = 0; j < 500; j++) lines.push(pool[cursor++ % pool.length]);
    writeFileSync(join(repo, `src-${i}.js`), `${lines.join('\n')}\n`);
  }
  git('add', '.');
  const stagedLines = Number(
    git('diff', '--cached', '--numstat')
      .split('\n')
      .filter(Boolean)
      .reduce((a, l) => a + Number(l.split('\t')[0]), 0),
  );
  execFileSync(process.execPath, [CLI, 'hook', 'install', '--repo', repo], { env: genv, stdio: 'ignore' });
  const hook = join(repo, '.git', 'hooks', 'pre-commit');
  // A second repository with the same change plus one key-like placeholder line: no finding, but the
  // hook's fast path (git diff -G) cannot rule it out, so node runs the full scan.
  const repoFull = join(work, 'repo-full');
  execFileSync('cp', ['-R', repo, repoFull]);
  writeFileSync(
    join(repoFull, 'src-0.js'),
    `${readFileSync(join(repoFull, 'src-0.js'), 'utf8')}// Authorization: Bearer sk_your_signus_api_key_here\n`,
  );
  execFileSync('git', ['add', '.'], { cwd: repoFull, env: genv });
  execFileSync(process.execPath, [CLI, 'hook', 'install', '--repo', repoFull], { env: genv, stdio: 'ignore' });
  const hookFull = join(repoFull, '.git', 'hooks', 'pre-commit');
  const hookEnv = { ...genv, SIGNUS_KNOWN_KEYS: join(work, 'none.json') };
  const hookCases = [
    { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
    { name: 'signus --version (CLI start-up only)', cmd: process.execPath, args: [CLI, '--version'] },
    { name: 'pre-commit hook, 10k clean lines (fast path: no key-like line)', cmd: hook, args: [] },
    {
      name: 'pre-commit hook, 10k lines + a key-like placeholder (full scan in node)',
      cmd: hookFull,
      args: [],
      cwd: repoFull,
    },
    { name: 'git diff --cached -U1 (for reference)', cmd: 'git', args: ['diff', '--cached', '-U1'] },
  ];
  // As most commits are made: output to a terminal, a pseudo-terminal from util-linux `script`, with
  // `node -e 0` run the same way as these rows' peer.
  if (existsSync('/usr/bin/script')) {
    const onTerminal = (command) => ['-q', '-e', '-c', command, '/dev/null'];
    const peer = 'node -e 0, at a terminal (`script`)';
    hookCases.push(
      { name: peer, cmd: 'script', args: onTerminal(`${quote(process.execPath)} -e 0`) },
      {
        name: 'pre-commit hook, key-like placeholder (full scan), at a terminal (`script`)',
        cmd: 'script',
        args: onTerminal(quote(hookFull)),
        cwd: repoFull,
        peer,
        hook: true,
      },
    );
  }
  for (const c of hookCases) Object.assign(c, { times: [], cpu: [] });
  for (let i = 0; i < HOOK_RUNS; i++) {
    for (const c of hookCases) {
      const r = timeOnce(c.cmd, c.args, { cwd: c.cwd ?? repo, env: hookEnv });
      if ((c.cmd === hook || c.cmd === hookFull || c.hook) && r.status !== 0)
        throw new Error(`the hook failed on a clean change: ${r.stdout}${r.stderr}`);
      record(c, r);
    }
  }
  // The same change with keys in it: the hook must block and find each one.
  const hookPlanted = [];
  for (let i = 0; i < 5; i++) {
    const file = join(repo, `src-${i * 4}.js`);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(100 + i, 0, `const key${i} = "${fakeKey()}";`);
    writeFileSync(file, lines.join('\n'));
    hookPlanted.push(`src-${i * 4}.js:${101 + i}`);
  }
  git('add', '.');
  const blocked = timeOnce(hook, [], { cwd: repo, env: hookEnv });
  const stagedJson = JSON.parse(
    timeOnce(process.execPath, [CLI, 'scan', '--staged', '--format', 'json'], { cwd: repo, env: hookEnv }).stdout,
  );
  const hookFound = stagedJson.findings.filter((f) => hookPlanted.includes(`${f.path}:${f.line}`)).length;
  const nodeMedian = median(hookCases[0].times);
  // A row's peer: \`node -e 0\` run as that row is (plain, or at a terminal).
  for (const c of hookCases) {
    const peer = hookCases.find((p) => p.name === c.peer) ?? hookCases[0];
    c.overWall = median(c.times) - median(peer.times);
    c.overCpu = median(c.cpu) - median(peer.cpu);
  }
  return {
    hookCases,
    hook,
    hookFull,
    stagedLines,
    hookPlanted,
    hookFound,
    blocked,
    nodeMedian,
    nodeCpu: median(hookCases[0].cpu),
    hookCase: hookCases.find((c) => c.cmd === hook),
    hookFullCase: hookCases.find((c) => c.cmd === hookFull),
  };
}
