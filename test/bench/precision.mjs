// Measures each name filter of the scanner (shared/src/scan/filters.ts):
//  - false positives: of the key-shaped candidates in the real-code corpus (realcode-fetch.mjs), how
//    many each filter leaves as findings, alone and all together;
//  - false negatives: of generated random keys in many contexts, how many each filter would drop,
//    alone (without the random-core guard) and as the scanner applies it (with the guard).
// Prints markdown for docs/leak-guard.md.  node test/bench/precision.mjs [random keys per shape, default 100000]
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { REALCODE_DIR } from './realcode-fetch.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'signus-precision-'));
await build({
  entryPoints: [join(here, '..', '..', 'shared', 'src', 'scan', 'index.ts')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  outfile: join(work, 'scan.mjs'),
  logLevel: 'error',
});
const scan = await import(pathToFileURL(join(work, 'scan.mjs')).href);
rmSync(work, { recursive: true, force: true });
const { CANDIDATE_FILTERS, hasRandomCore, isMostlyWords, isNonKey, isPlaceholderKey, RULES } = scan;
const PER_SHAPE = Number(process.argv[2] ?? 100_000);

// ------------------------------------------------------------ candidates in real code
const shapeRule = RULES.find((r) => r.reportUnknown);
const BODY = /[A-Za-z0-9_-]/;
function* files(dir) {
  for (const name of readdirSync(dir)) {
    if (name === '.git') continue;
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isDirectory()) yield* files(path);
    else if (st.isFile()) yield path;
  }
}
const real = [];
let realBytes = 0;
for (const path of files(REALCODE_DIR)) {
  const buf = readFileSync(path);
  realBytes += buf.length;
  if (buf.indexOf('sk_') === -1 || buf.subarray(0, 8000).indexOf(0) !== -1) continue;
  const text = buf.toString('utf8');
  for (let at = text.indexOf('sk_'); at !== -1; at = text.indexOf('sk_', at + 1)) {
    if (at > 0 && BODY.test(text[at - 1]) && !scan.escapeEndsAt((i) => text.charCodeAt(i), at)) continue;
    shapeRule.pattern.lastIndex = at;
    const m = shapeRule.pattern.exec(text);
    if (m) real.push({ secret: m[0], text, offset: at });
  }
}
if (real.length === 0)
  throw new Error(`No candidates: fetch the real-code corpus first (node test/bench/realcode-fetch.mjs).`);
const realOpen = real.filter((c) => !isPlaceholderKey(c.secret));

// ------------------------------------------------------------ random keys in contexts
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const B64URL = `${BASE62}_-`;
function random(alphabet, n) {
  let s = '';
  const limit = 256 - (256 % alphabet.length);
  while (s.length < n)
    for (const b of randomBytes(n * 2)) if (b < limit && s.length < n) s += alphabet[b % alphabet.length];
  return s;
}
const between = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));
const SHAPES = [
  ['base62, 32–48', () => `sk_${random(BASE62, between(32, 48))}`],
  [
    'sk_live_/sk_test_ + base62, 32–48',
    () => `sk_${Math.random() < 0.5 ? 'live' : 'test'}_${random(BASE62, between(32, 48))}`,
  ],
  ['hex, 32–64', () => `sk_${random(HEX, between(32, 64))}`],
  ['base64url, 32–48', () => `sk_${random(BASE62, 1)}${random(B64URL, between(31, 47))}`],
  ['base62, 20–31', () => `sk_${random(BASE62, between(20, 31))}`],
];
const CONTEXTS = [
  (k) => `const key = "${k}";`,
  (k) => `Authorization: Bearer ${k}`,
  (k) => `${k}(`,
  (k) => `obj->${k}`,
  (k) => `cfg.${k}`,
  (k) => `#define ${k} 1`,
  (k) => `int ${k};`,
  (k) => `struct sock *${k};`,
  (k) => `def ${k}(x):`,
  (k) => `fn ${k}() {}`,
  (k) => `${k} := 1`,
  (k) => `import x as ${k}`,
  (k) => `{"k":"\\u0022${k}\\u0022"}`,
];

// ------------------------------------------------------------ measure
const pct = (n, d) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(n > 0 && (100 * n) / d < 0.01 ? 4 : 2)}%`);
// A context filter only looks at bodies that are mostly words; "alone" is the filter without that gate.
const filters = CANDIDATE_FILTERS.flatMap((f) => [
  { id: f.id, description: f.description, rejects: (c) => f.rejects(c) },
  ...(f.mostlyWordsOnly
    ? [
        {
          id: `${f.id}, mostly-words bodies only`,
          description: 'as the scanner applies it',
          rejects: (c) => isMostlyWords(c.secret) && f.rejects(c),
        },
      ]
    : []),
]);
const rowsFp = filters.map((f) => {
  const left = realOpen.filter((c) => !f.rejects(c)).length;
  return `| \`${f.id}\` | ${f.description} | ${left} of ${realOpen.length} (${pct(left, realOpen.length)}) |`;
});
const allLeft = realOpen.filter((c) => !isNonKey(c)).length;

const generated = SHAPES.map(([name, make]) => {
  const keys = [];
  for (let i = 0; i < PER_SHAPE; i++) {
    const secret = make();
    const text = CONTEXTS[i % CONTEXTS.length](secret);
    keys.push({ secret, text, offset: text.indexOf(secret) });
  }
  return { name, keys };
});
const fnCell = (keys, test) => {
  const n = keys.filter(test).length;
  return `${n} (${pct(n, keys.length)})`;
};
const header = `| filter | ${generated.map((g) => g.name).join(' | ')} |`;
const sep = `| --- | ${generated.map(() => '---').join(' | ')} |`;
const rowsFnAlone = filters.map(
  (f) => `| \`${f.id}\` alone | ${generated.map((g) => fnCell(g.keys, (c) => f.rejects(c))).join(' | ')} |`,
);
const rowsFnGuarded = [
  `| random-core guard misses (no run of 32+ mixed letters and digits) | ${generated.map((g) => fnCell(g.keys, (c) => !hasRandomCore(c.secret))).join(' | ')} |`,
  `| placeholder tests (\`isPlaceholderKey\`, before the guard) | ${generated.map((g) => fnCell(g.keys, (c) => isPlaceholderKey(c.secret))).join(' | ')} |`,
  `| **everything, as the scanner applies it** | ${generated.map((g) => fnCell(g.keys, (c) => isPlaceholderKey(c.secret) || isNonKey(c))).join(' | ')} |`,
];

process.stdout
  .write(`Real code: ${real.length} key-shaped candidates (\`sk_\` at a token boundary + 20 body characters) in ${(realBytes / 1024 / 1024).toFixed(1)} MB;
${real.length - realOpen.length} are placeholders (isPlaceholderKey), ${realOpen.length} reach the name filters.

False positives: candidates each filter alone leaves as findings (lower is better).

| filter | rejects | left as findings |
| --- | --- | --- |
${rowsFp.join('\n')}
| all filters, after the random-core guard | | **${allLeft} of ${realOpen.length}** |

False negatives: of ${PER_SHAPE} random keys per shape, spread over ${CONTEXTS.length} contexts (string, header, \`sk_…(\`, \`->\`, \`.\`,
\`#define\`, C/Python/Rust/Go declarations, \`import … as\`, JSON \`\\u0022\`), how many would be dropped.

${header}
${sep}
${rowsFnAlone.join('\n')}
${rowsFnGuarded.join('\n')}
`);
