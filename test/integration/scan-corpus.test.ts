/**
 * Accuracy on the labelled corpus in test/corpus: every planted key found (recall), nothing else
 * reported (precision). Both must be 100%.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from './cli-run.js';
import { cleanupTempDirs, parseJson, tempDir } from './scan-helpers.js';

let copy: string;
beforeAll(() => {
  assertCliBuilt();
  // Scanned as a project of its own, outside our repository (whose .signusignore skips the corpus).
  copy = join(tempDir('signus-corpus-'), 'corpus');
  cpSync(CORPUS, copy, { recursive: true });
});
afterAll(cleanupTempDirs);

const CORPUS = fileURLToPath(new URL('../corpus/', import.meta.url));
const labels = JSON.parse(readFileSync(`${CORPUS}labels.json`, 'utf8')) as {
  positives: Record<string, { line: number; column: number }[]>;
};
const expected = new Set(
  Object.entries(labels.positives).flatMap(([path, spots]) => spots.map((s) => `${path}:${s.line}:${s.column}`)),
);

async function scanCorpus(...extra: string[]) {
  const run = await runCli(['scan', '.', '--format', 'json', ...extra], {
    cwd: copy,
    env: { HOME: copy, XDG_CONFIG_HOME: join(copy, '.no-config') },
  });
  expect(run.code, run.stderr).toBe(1);
  return parseJson(run);
}

describe('accuracy on the labelled corpus', { timeout: 30_000 }, () => {
  it('recall and precision are both 100%', async () => {
    const scan = await scanCorpus('--known-keys', `${CORPUS}known-keys.json`);
    const found = new Set(scan.findings.map((f) => `${f.path}:${f.line}:${f.column}`));
    const truePositives = [...found].filter((f) => expected.has(f));
    const recall = truePositives.length / expected.size;
    const precision = truePositives.length / found.size;
    console.log(
      `corpus: ${expected.size} planted keys in ${Object.keys(labels.positives).length} files; found ${found.size}; recall ${(recall * 100).toFixed(1)}%, precision ${(precision * 100).toFixed(1)}%`,
    );
    expect(
      [...expected].filter((e) => !found.has(e)),
      'missed',
    ).toEqual([]);
    expect(
      [...found].filter((f) => !expected.has(f)),
      'false positives',
    ).toEqual([]);
    expect(scan.findings.some((f) => f.path.startsWith('negatives/'))).toBe(false);
  });

  it('the encoded known keys are confirmed leaks (error), found only with the known-keys file', async () => {
    const withKnown = await scanCorpus('--known-keys', `${CORPUS}known-keys.json`);
    const known = withKnown.findings.filter((f) => f.path.startsWith('positives/known/'));
    expect(known.map((f) => [f.path, f.severity, f.encoding]).sort()).toEqual([
      ['positives/known/echo-base64.yaml', 'error', 'base64'],
      ['positives/known/glued.log', 'error', 'plain'],
      ['positives/known/plain.env', 'error', 'plain'],
      ['positives/known/secret.yaml', 'error', 'base64'],
      ['positives/known/token-url.txt', 'error', 'base64'],
    ]);
    const without = await scanCorpus('--no-known-keys');
    expect(
      without.findings.filter((f) => f.path.startsWith('positives/known/')).map((f) => [f.path, f.severity]),
    ).toEqual([['positives/known/plain.env', 'warning']]);
  });
});
