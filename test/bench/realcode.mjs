// The real-code precision benchmark: `signus scan` on the Debian and npm packages that
// realcode-fetch.mjs unpacked. Every finding there is a false alarm; the target is none.
// Offline: when the corpus was never fetched, the section says how to fetch it and is not counted.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REALCODE_DIR } from './realcode-fetch.mjs';

/** Scans the corpus once; returns the markdown section and whether the target (0 findings) is met. */
export function realCodeBench(cli) {
  if (!existsSync(join(REALCODE_DIR, 'SOURCES.json'))) {
    const message = `Real-code corpus not fetched (run \`node test/bench/realcode-fetch.mjs\`, needs apt-get and npm); skipped.`;
    process.stderr.write(`${message}\n`);
    return { md: message, target: `| 0 findings on real code | not measured: corpus not fetched | — |`, ok: true };
  }
  // The corpus sits in the workspace's git-ignored test/bench/.cache/: scanned as part of the workspace's
  // work tree it would be skipped as ignored (0 files, a vacuous 0 findings). An empty repository of its
  // own makes every file in it an untracked file that is not ignored, so all of it is read.
  if (!existsSync(join(REALCODE_DIR, '.git'))) execFileSync('git', ['init', '-q'], { cwd: REALCODE_DIR });
  const start = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    [cli, 'scan', REALCODE_DIR, '--format', 'json', '--no-known-keys', '--max-file-size', '64MB'],
    { maxBuffer: 1 << 30 },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0 && run.status !== 1) throw new Error(`signus scan failed: ${run.stderr}`);
  const { findings, summary } = JSON.parse(run.stdout.toString('utf8'));
  if (summary.files === 0) throw new Error(`signus scan read no file of the corpus in ${REALCODE_DIR}`);
  const sources = JSON.parse(readFileSync(join(REALCODE_DIR, 'SOURCES.json'), 'utf8'));
  const packages = ['debian', 'npm'].flatMap((kind) =>
    readdirSync(join(REALCODE_DIR, kind)).map((name) => `${kind}/${name}`),
  );
  const rows = packages.map((pkg) => {
    const n = findings.filter((f) => f.path.startsWith(`${pkg}/`)).length;
    return `| ${pkg} | ${n} |`;
  });
  const mb = summary.bytes / 1024 / 1024;
  const perMb = findings.length / mb;
  const md = `The packages \`test/bench/realcode-fetch.mjs\` fetched on ${sources.fetched.slice(0, 10)} (Debian: ${sources.debian.join(', ')} and the
newest linux-headers-*-common; npm: ${sources.npm.join(', ')}), unpacked, not committed:
**${summary.files} files, ${mb.toFixed(1)} MB** (files up to 64 MB). None holds a Signus key: every finding is a false alarm.
\`signus scan\` took ${ms.toFixed(0)} ms and reported **${findings.length} findings (${perMb.toFixed(3)} per MB)**. Before the name
filters of docs/leak-guard.md it reported 962, all in libssl-dev.

| package | findings |
| --- | --- |
${rows.join('\n')}`;
  return {
    md,
    target: `| 0 findings on real code (${mb.toFixed(0)} MB of Debian and npm packages) | ${findings.length} findings, ${perMb.toFixed(3)} per MB | ${findings.length === 0 ? 'met' : '**not met**'} |`,
    ok: findings.length === 0,
  };
}
