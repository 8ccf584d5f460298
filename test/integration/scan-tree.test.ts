import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownKeyFingerprints, serializeKnownKeysFile } from '@signus/shared';
import { sarifValidator } from './sarif-validator.js';
import { assertCliBuilt, runCli } from './cli-run.js';
import { cleanupTempDirs, fakeKey, isolatedEnv, makeRepo, parseJson, tempDir } from './scan-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

const where = (scan: ReturnType<typeof parseJson>) =>
  scan.findings.map((f) => `${f.path}:${f.line}:${f.column}`).sort();

function tree(files: Record<string, string | Buffer>) {
  const repo = makeRepo();
  for (const [path, content] of Object.entries(files)) repo.write(path, content);
  return repo;
}

describe('signus scan PATH', { timeout: 30_000 }, () => {
  it('finds keys in a tree, exit 1; a clean tree exits 0', async () => {
    const key = fakeKey();
    const repo = tree({ 'src/config.ts': `export const key = '${key}';\n`, 'README.md': '# demo\n' });
    const run = await repo.signus('scan');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('src/config.ts:1:21');
    expect(run.stdout).toContain('Settings → Developer');
    expect(run.stdout + run.stderr).not.toContain(key);
    const clean = await tree({ 'a.txt': 'task_abcdefghijklmnopqrstuvwxyz0123 and sk_your_key_here\n' }).signus('scan');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('No Signus keys found');
  });

  it('honours .gitignore at every level, and skips .git', async () => {
    const repo = tree({
      '.gitignore': 'build/\n*.log\n',
      'build/out.js': `k="${fakeKey()}"`,
      'debug.log': `k="${fakeKey()}"`,
      'pkg/.gitignore': 'secret.txt\n',
      'pkg/secret.txt': `k="${fakeKey()}"`,
      'pkg/kept.txt': `k="${fakeKey()}"`,
    });
    repo.write('.git/leak.txt', `k="${fakeKey()}"`);
    expect(where(parseJson(await repo.signus('scan', '--format', 'json')))).toEqual(['pkg/kept.txt:1:4']);
    // Starting below a .gitignore still honours it.
    expect(where(parseJson(await repo.signus('scan', 'build', '--format', 'json')))).toEqual([]);
  });

  it('skips binary files and files over the size limit, and says so', async () => {
    const repo = tree({
      'img.png': Buffer.concat([Buffer.from([0x89, 0x50, 0, 0]), Buffer.from(fakeKey())]),
      'big.js': `${'x'.repeat(3000)}\nk="${fakeKey()}"\n`,
      'small.js': 'ok\n',
    });
    const run = await repo.signus('scan', '--max-file-size', '2KB');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/not read: 1 binary file \(img\.png\)/);
    expect(run.stdout).toMatch(/1 file over \S+ MB \(big\.js/);
    expect(run.stdout).not.toContain('✓');
    expect(run.stdout).toContain('big.js');
    expect((await repo.signus('scan', '--max-file-size', 'lots')).code).toBe(2);
  });

  it('never follows symbolic links, so nothing outside the tree is read', async () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'creds.env'), `KEY=${fakeKey()}\n`);
    const repo = tree({ 'a.txt': 'a\n' });
    symlinkSync(outside, join(repo.dir, 'linked-dir'));
    symlinkSync(join(outside, 'creds.env'), join(repo.dir, 'linked.env'));
    const run = await repo.signus('scan');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 symbolic links (not followed)');
  });

  it('.signusignore: path globs and fingerprints; line numbers are refused', async () => {
    const keep = fakeKey();
    const repo = tree({
      'fixtures/a.json': `{"k":"${fakeKey()}"}`,
      'src/a.ts': `const a = "${keep}";\nconst b = "${fakeKey()}";\n`,
    });
    const scan = parseJson(await repo.signus('scan', '--format', 'json'));
    expect(scan.findings).toHaveLength(3);
    const fp = scan.findings.find((f) => f.path === 'src/a.ts' && f.line === 1)!.fingerprint;
    repo.write('.signusignore', `# reviewed\nfixtures/\n${fp}\n`);
    expect(where(parseJson(await repo.signus('scan', '--format', 'json')))).toEqual(['src/a.ts:2:12']);
    repo.write('.signusignore', 'src/a.ts:2\n');
    const bad = await repo.signus('scan');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line number/);
  });

  it('inline allow comments', async () => {
    const repo = tree({
      'docs.py': `demo = "${fakeKey()}"  # signus:allow\n# signus:allow-next-line\nother = "${fakeKey()}"\nreal = "${fakeKey()}"\n`,
    });
    expect(where(parseJson(await repo.signus('scan', '--format', 'json')))).toEqual(['docs.py:4:9']);
  });

  it("known keys: --known-keys marks the user's key and finds its base64 form; a bad file is exit 2", async () => {
    const key = fakeKey();
    const repo = tree({
      'a.env': `KEY=${key}\n`,
      'b.yaml': `auth: ${Buffer.from(key).toString('base64')}\n`,
      'c.env': `OTHER=${fakeKey()}\n`,
    });
    const file = join(tempDir(), 'known.json');
    writeFileSync(
      file,
      serializeKnownKeysFile([{ label: 'Production', fingerprints: await knownKeyFingerprints(key) }]),
    );
    expect(readFileSync(file, 'utf8')).not.toContain(key.slice(3));
    const scan = parseJson(await repo.signus('scan', '--known-keys', file, '--format', 'json'));
    expect(scan.findings.map((f) => [f.path, f.severity, f.encoding])).toEqual([
      ['a.env', 'error', 'plain'],
      ['b.yaml', 'error', 'base64'],
      ['c.env', 'warning', 'plain'],
    ]);
    writeFileSync(file, '{"version":1,"keys":[{"label":"x","fingerprints":["not-a-hash"]}]}');
    const bad = await repo.signus('scan', '--known-keys', file);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a SHA-256 fingerprint/);
    const missing = await repo.signus('scan', '--known-keys', join(tempDir(), 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the known-keys file/);
  });

  it('reads the per-user known-keys file by default ($XDG_CONFIG_HOME/signus/known-keys.json)', async () => {
    const key = fakeKey();
    const repo = tree({ 'a.env': `KEY=${key}\n` });
    repo.write('../../signus-home-unused', '');
    const config = join(repo.env.XDG_CONFIG_HOME!, 'signus');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(config, { recursive: true });
    writeFileSync(
      join(config, 'known-keys.json'),
      serializeKnownKeysFile([{ label: 'Staging', fingerprints: await knownKeyFingerprints(key) }]),
    );
    const scan = parseJson(await repo.signus('scan', '--format', 'json'));
    expect(scan.findings[0]).toMatchObject({ severity: 'error', ruleId: 'signus-known-key' });
  });

  it('baselines: --write-baseline records findings, --baseline reports only new ones', async () => {
    const repo = tree({ 'legacy.js': `k="${fakeKey()}"\n` });
    const baseline = join(tempDir(), 'baseline.json');
    const write = await repo.signus('scan', '--write-baseline', baseline);
    expect(write.code).toBe(0);
    expect(readFileSync(baseline, 'utf8')).not.toMatch(/sk_/);
    expect((await repo.signus('scan', '--baseline', baseline)).code).toBe(0);
    repo.write('legacy.js', `// moved down\nk="${readFileSync(join(repo.dir, 'legacy.js'), 'utf8').slice(3, -2)}"\n`);
    expect((await repo.signus('scan', '--baseline', baseline)).code).toBe(0);
    repo.write('new.js', `k="${fakeKey()}"\n`);
    const run = await repo.signus('scan', '--baseline', baseline);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('new.js:1:4');
    expect(run.stdout).toContain('1 finding already in the baseline');
  });

  it('usage errors exit 2', async () => {
    const repo = tree({});
    expect((await repo.signus('scan', '--format', 'xml')).code).toBe(2);
    expect((await repo.signus('scan', 'no/such/dir')).code).toBe(2);
    expect((await repo.signus('scan', '--staged', 'x')).code).toBe(2);
    const missing = await repo.signus('scan', '--baseline', 'missing.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/the baseline .*missing\.json does not exist\. Create it with --write-baseline/);
  });

  it('prints no control characters from file content (no terminal escape injection)', async () => {
    const repo = tree({ 'evil.txt': `\u001b[2J\u001b]0;pwned\u0007 k="${fakeKey()}"\n` });
    const run = await repo.signus('scan');
    expect(run.code).toBe(1);
    expect(run.stdout.includes('\u001b') || run.stdout.includes('\u0007')).toBe(false);
    expect(run.stdout).toContain('?[2J?]0;pwned?');
  });

  it('shows no progress when stderr is not a terminal', async () => {
    const repo = tree({ 'a.txt': 'a\n' });
    expect((await repo.signus('scan')).stderr).toBe('');
  });
});

describe('signus scan --format sarif', { timeout: 30_000 }, () => {
  it('is valid SARIF 2.1.0 with masked snippets and no secret in any field', async () => {
    const key = fakeKey();
    const repo = tree({ 'src/app config.ts': `// config\nexport const apiKey = "${key}"; // more text\n` });
    const run = await runCli(['scan', '--format', 'sarif'], { cwd: repo.dir, env: isolatedEnv(tempDir()) });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain(key.slice(3));
    const log = JSON.parse(run.stdout);
    const validate = sarifValidator();
    const valid = validate(log);
    expect(validate.errors ?? null).toBeNull();
    expect(valid).toBe(true);
    const result = log.runs[0].results[0];
    expect(result).toMatchObject({ ruleId: 'signus-api-key', level: 'warning' });
    const loc = result.locations[0].physicalLocation;
    expect(loc.artifactLocation.uri).toBe('src/app%20config.ts');
    expect(loc.region).toMatchObject({ startLine: 2, startColumn: 24, endColumn: 24 + key.length });
    expect(loc.region.snippet.text).toContain('export const apiKey = "sk_••••••••');
    expect(result.partialFingerprints['signusSecretSha256/v1']).toMatch(/^[0-9a-f]{64}$/);
    // An invalid log fails the same validator, so the check above can fail.
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false);
  });

  it('a clean scan is valid SARIF with no results', async () => {
    const repo = tree({ 'a.txt': 'nothing\n' });
    const run = await repo.signus('scan', '--format', 'sarif');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).runs[0].results).toEqual([]);
  });
});
