// Benchmarks what a user pays for the extension: the .vsix download and the activation cost.
// Activation is measured in fresh Node processes (bundle load + activate(), against a stand-in `vscode`
// module), so it counts our code only; the real extension host's own figure, when the host tests have
// run, is printed beside it. Usage: node scripts/bench.mjs [--runs N]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 25;
const stage = join(root, 'out', 'vsix');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
void name;
const vsix = join(root, 'out', `signus-vscode-${version}.vsix`);
if (!existsSync(vsix)) {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs')], { stdio: 'inherit' });
}
const bundle = join(stage, 'dist', 'extension.cjs');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function measure(script, args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    samples.push(JSON.parse(execFileSync(process.execPath, [script, ...args], { encoding: 'utf8' })));
  }
  return samples;
}

// Baseline: the same harness loading an empty module, so the ratio shows what our bundle adds.
const emptyModule = join(root, 'bench', 'empty-extension.cjs');
const baseline = measure(join(root, 'bench', 'activation-child.mjs'), [emptyModule, stage]);
const ours = measure(join(root, 'bench', 'activation-child.mjs'), [bundle, stage]);

const load = median(ours.map((s) => s.loadMs));
const activate = median(ours.map((s) => s.activateMs));
const baseLoad = median(baseline.map((s) => s.loadMs));
const cpu = median(ours.map((s) => s.cpuMs));
const baseCpu = median(baseline.map((s) => s.cpuMs));
const vsixBytes = statSync(vsix).size;
const bundleBytes = statSync(bundle).size;
const cliBytes = statSync(join(stage, 'dist', 'cli', 'signus.mjs')).size;

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`extension-vscode benchmark (${runs} fresh processes each, medians)`);
console.log(
  `  bundle load (require):      ${load.toFixed(2)} ms   (empty module: ${baseLoad.toFixed(2)} ms, ratio ${(load / baseLoad).toFixed(1)}x)`,
);
console.log(`  activate():                 ${activate.toFixed(2)} ms`);
console.log(
  `  load + activate:            ${(load + activate).toFixed(2)} ms   (budget 50 ms, ratio ${((load + activate) / 50).toFixed(2)})`,
);
console.log(
  `  load + activate, CPU time:  ${cpu.toFixed(2)} ms   (empty module: ${baseCpu.toFixed(2)} ms; steadier than wall time on a busy machine)`,
);
const hostFile = join(root, 'out', 'host-run', 'activation.json');
if (existsSync(hostFile)) {
  const host = JSON.parse(readFileSync(hostFile, 'utf8'));
  console.log(`  activate() in the real extension host (last host test run): ${host.activatedInMs.toFixed(2)} ms`);
}
console.log(`  .vsix:                      ${kib(vsixBytes)}  (${vsixBytes} bytes)`);
console.log(
  `    bundle dist/extension.cjs ${kib(bundleBytes)}, bundled CLI ${kib(cliBytes)}; .vsix / unpacked ratio ${(vsixBytes / (bundleBytes + cliBytes)).toFixed(2)}`,
);
