// How fast the bundled CLI starts, next to Node itself starting and doing nothing. Interleaved runs,
// medians and ratios, because machines here are noisy. Run: pnpm --filter @signus/shared bench
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/signus.mjs', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 30);
const cases = [
  ['node -e 0', ['-e', '0']],
  ['signus --version', [cli, '--version']],
  ['signus test --help', [cli, 'test', '--help']],
];

const times = new Map(cases.map(([name]) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, args] of cases) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (run.status !== 0) throw new Error(`${name} exited with ${run.status}`);
    times.get(name).push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const base = median(times.get('node -e 0'));
console.log(`CLI start-up, ${runs} interleaved runs each; bundle ${(statSync(cli).size / 1024).toFixed(0)} KiB`);
console.log('case'.padEnd(22), 'median ms'.padStart(10), 'p90 ms'.padStart(8), 'vs node -e 0'.padStart(14));
for (const [name] of cases) {
  const sorted = [...times.get(name)].sort((a, b) => a - b);
  const m = median(sorted);
  const p90 = sorted[Math.floor(sorted.length * 0.9)];
  console.log(
    name.padEnd(22),
    m.toFixed(1).padStart(10),
    p90.toFixed(1).padStart(8),
    `${(m / base).toFixed(2)}× (+${(m - base).toFixed(1)} ms)`.padStart(14),
  );
}
