// Timing helpers shared by the bench scripts: one run of a command (wall time, and with GNU time its CPU
// time and peak memory), medians, number formatting.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasTime = existsSync('/usr/bin/time');

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

export const fmt = (n, d = 0) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(d));

/**
 * One run: wall time (measured here), and where GNU time is installed, CPU time (user + system, the
 * command and every process it waited for) and peak resident memory. CPU time is less disturbed by other
 * load on a shared machine.
 */
export function timeOnce(cmd, args, opts = {}) {
  const out = join(tmpdir(), `signus-bench-time-${process.pid}`);
  const [run, runArgs] = hasTime ? ['/usr/bin/time', ['-f', '%U %S %M', '-o', out, cmd, ...args]] : [cmd, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(run, runArgs, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30, ...opts });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  let cpuMs;
  let peakMb;
  if (hasTime) {
    const [user, sys, kb] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpuMs = (user + sys) * 1000;
    peakMb = kb / 1024;
    rmSync(out, { force: true });
  }
  return { ms, cpuMs, peakMb, status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

export function record(target, r) {
  target.times.push(r.ms);
  if (r.cpuMs !== undefined) target.cpu.push(r.cpuMs);
  if (r.peakMb !== undefined) target.peak = Math.max(target.peak ?? 0, r.peakMb);
}
