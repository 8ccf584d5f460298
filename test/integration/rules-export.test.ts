/**
 * `signus rules export`: the exported rules, run (secretlint) or evaluated as their tool would (gitleaks,
 * GitHub custom patterns), find every key-shaped key planted in the labelled corpus.
 */
import { execFile } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from './cli-run.js';
import { cleanupTempDirs, tempDir } from './scan-helpers.js';

const CORPUS = fileURLToPath(new URL('../corpus/', import.meta.url));
const SECRETLINT = fileURLToPath(new URL('../node_modules/secretlint/bin/secretlint.js', import.meta.url));
const labels = JSON.parse(readFileSync(`${CORPUS}labels.json`, 'utf8')) as {
  positives: Record<string, { line: number; column: number }[]>;
};
/** Known keys in encoded or glued forms are found by hash only: no pattern can carry them. */
const expected = new Set(
  Object.entries(labels.positives)
    .filter(([path]) => !path.startsWith('positives/known/'))
    .flatMap(([path, spots]) => spots.map((s) => `${path}:${s.line}:${s.column}`)),
);

let copy: string;
beforeAll(() => {
  assertCliBuilt();
  copy = join(tempDir('signus-export-'), 'corpus');
  cpSync(CORPUS, copy, { recursive: true });
});
afterAll(cleanupTempDirs);

async function exported(format: string): Promise<string> {
  const run = await runCli(['rules', 'export', '--format', format]);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/^(positives|negatives)\//.test(relative(copy, path)) && name !== 'README.md') out.push(path);
    }
  };
  walk(copy);
  return out;
}

/** Line and UTF-16 column (1-based) of every match of `re` in the corpus, as the labels write them. */
function matchAll(re: RegExp, accept: (secret: string) => boolean, group = 0): Set<string> {
  const found = new Set<string>();
  for (const file of corpusFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(re)) {
      const secret = m[group]!;
      if (!accept(secret)) continue;
      const at = m.index + m[0].lastIndexOf(secret);
      const before = text.slice(0, at);
      const line = before.split('\n').length;
      found.add(`${relative(copy, file)}:${line}:${at - before.lastIndexOf('\n')}`);
    }
  }
  return found;
}

function score(found: Set<string>) {
  const hits = [...found].filter((f) => expected.has(f));
  const inNegatives = [...found].filter((f) => f.startsWith('negatives/'));
  return { missed: [...expected].filter((e) => !found.has(e)), hits: hits.length, inNegatives };
}

const entropy = (s: string) => {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.values()].reduce((h, n) => h - (n / s.length) * Math.log2(n / s.length), 0);
};
/** Go's RE2 and GitHub's Hyperscan take inline (?i); JavaScript takes the i flag. */
const jsRegex = (source: string, flags = 'g') =>
  source.startsWith('(?i)') ? new RegExp(source.slice(4), `${flags}i`) : new RegExp(source, flags);

describe('signus rules export', { timeout: 60_000 }, () => {
  it('secretlint: the exported config, run by secretlint 13 on the corpus, finds every key-shaped key', async () => {
    const rc = join(copy, '..', 'secretlintrc.json');
    writeFileSync(rc, await exported('secretlint'));
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [SECRETLINT, 'positives/**/*', 'negatives/**/*', '--secretlintrc', rc, '--format', 'json', '--no-color'],
        { cwd: copy, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout) => (error && (error as { code?: unknown }).code !== 1 ? reject(error) : resolve(stdout)),
      );
    });
    const results = JSON.parse(out) as {
      filePath: string;
      messages: { loc: { start: { line: number; column: number } } }[];
    }[];
    // secretlint's columns are 0-based.
    const found = new Set(
      results.flatMap((r) =>
        r.messages.map((m) => `${relative(copy, r.filePath)}:${m.loc.start.line}:${m.loc.start.column + 1}`),
      ),
    );
    const s = score(found);
    console.log(
      `secretlint export: ${s.hits}/${expected.size} planted keys found, ${s.inNegatives.length} in negatives`,
    );
    expect(s.missed).toEqual([]);
    // Placeholders are allowed by the exported rule, as by ours.
    expect(s.inNegatives.filter((f) => f.startsWith('negatives/placeholders.env'))).toEqual([]);
  });

  it('gitleaks: valid TOML in gitleaks v8 shape; its regex, entropy and allowlist find every key-shaped key', async () => {
    const toml = await exported('gitleaks');
    const config = parseToml(toml) as {
      title: string;
      rules: {
        id: string;
        regex: string;
        secretGroup: number;
        entropy: number;
        keywords: string[];
        allowlists: { regexTarget: string; regexes: string[] }[];
      }[];
    };
    expect(config.title).toBe('Signus API keys');
    expect(config.rules).toHaveLength(1);
    const rule = config.rules[0]!;
    expect(rule).toMatchObject({ id: 'signus-api-key', secretGroup: 1, entropy: 3, keywords: ['sk_'] });
    expect(rule.allowlists[0]!.regexTarget).toBe('secret');
    // RE2 has no look-around or backreferences: the regex must not need them.
    expect(rule.regex).not.toMatch(/\(\?<?[=!]|\\[1-9]/);
    const allow = rule.allowlists[0]!.regexes.map((r) => jsRegex(r, ''));
    const found = matchAll(
      new RegExp(rule.regex, 'g'),
      (secret) => entropy(secret) >= rule.entropy && !allow.some((a) => a.test(secret)),
      rule.secretGroup,
    );
    const s = score(found);
    console.log(
      `gitleaks export (evaluated): ${s.hits}/${expected.size} planted keys found, ${s.inNegatives.length} in negatives`,
    );
    expect(s.missed).toEqual([]);
  });

  it('github: a custom pattern with the form’s fields; evaluated as GitHub does, it finds every key-shaped key', async () => {
    const pattern = JSON.parse(await exported('github')) as {
      name: string;
      secret_format: string;
      before_secret: string;
      after_secret: string;
      additional_match_requirements: { type: string; pattern: string }[];
      test_string: string;
    };
    expect(pattern.name).toBe('Signus API key');
    for (const field of [pattern.secret_format, pattern.before_secret, pattern.after_secret])
      expect(field.length).toBeLessThanOrEqual(1000);
    const before = pattern.before_secret.replace('\\A', '^');
    const after = pattern.after_secret.replace('\\z', '$');
    const re = new RegExp(`(?:${before})(${pattern.secret_format})(?=${after})`, 'gm');
    const mustNot = pattern.additional_match_requirements
      .filter((r) => r.type === 'must_not_match')
      .map((r) => jsRegex(r.pattern, ''));
    const accept = (secret: string) => !mustNot.some((r) => r.test(secret));
    expect([...pattern.test_string.matchAll(re)].map((m) => m[1])).toHaveLength(1);
    const s = score(matchAll(re, accept, 1));
    console.log(
      `github export (evaluated): ${s.hits}/${expected.size} planted keys found, ${s.inNegatives.length} in negatives`,
    );
    expect(s.missed).toEqual([]);
  });

  it('refuses an unknown format', async () => {
    const run = await runCli(['rules', 'export', '--format', 'trufflehog']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--format must be one of gitleaks, secretlint, github, not "trufflehog"');
  });
});
