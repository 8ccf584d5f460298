// Scan output masks every key-shaped run on a reported line, in every format and in the git hook,
// including keys glued to a word (`acct_sk_…`), which are not findings themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt } from './cli-run.js';
import { cleanupTempDirs, fakeKey, makeRepo, repoWithHook } from './scan-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

function expectNoKey(output: string, ...keys: string[]): void {
  for (const key of keys) {
    const body = key.slice(3);
    for (let i = 0; i + 8 <= body.length; i += 4) expect(output).not.toContain(body.slice(i, i + 8));
  }
}

describe('snippets mask every key-shaped run on the line', { timeout: 60_000 }, () => {
  const key = fakeKey();
  const glued = [fakeKey(), fakeKey(), fakeKey()];
  const line = `const a = "${key}", b = "acct_${glued[0]}", c = "test-${glued[1]}", d = x${glued[2]};`;

  it('in the text, JSON and SARIF reports', async () => {
    const repo = makeRepo();
    repo.write('src/config.ts', `// config\n${line}\n`);
    for (const format of ['text', 'json', 'sarif']) {
      const run = await repo.signus('scan', '--format', format);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toContain(`acct_sk_••••••••${glued[0]!.slice(-4)}`);
      expect(run.stdout).toContain(`test-sk_••••••••${glued[1]!.slice(-4)}`);
      expectNoKey(run.stdout + run.stderr, key, ...glued);
    }
  });

  it('in the pre-commit hook output', async () => {
    const repo = await repoWithHook();
    repo.write('src/config.ts', `${line}\n`);
    repo.git('add', '.');
    const blocked = repo.tryGit('commit', '-m', 'config');
    expect(blocked.code).not.toBe(0);
    expect(blocked.output).toContain('src/config.ts:1:12');
    expect(blocked.output).toContain(`acct_sk_••••••••${glued[0]!.slice(-4)}`);
    expectNoKey(blocked.output, key, ...glued);
  });
});
