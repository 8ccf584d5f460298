/**
 * The GitHub Action (action.yml → ci/github/action.mjs), run as the runner would: a simulated push or
 * pull_request event (payload file, GITHUB_* variables, GITHUB_OUTPUT), the CLI installed from a tarball.
 * A stand-in CLI package records how it was called, so the script's own logic is what is tested.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, isolatedEnv, tempDir } from './scan-helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'ci', 'github', 'action.mjs');

const SARIF_WITH_FINDING = {
  version: '2.1.0',
  runs: [
    {
      tool: {
        driver: {
          name: 'signus',
          rules: [
            {
              id: 'signus-api-key',
              shortDescription: { text: 'A string shaped like a Signus API key' },
              help: { text: 'Take the key out of the file.\nDelete it if it was pushed.' },
            },
          ],
        },
      },
      results: [
        {
          ruleId: 'signus-api-key',
          ruleIndex: 0,
          level: 'warning',
          message: { text: 'A Signus API key (or text shaped like one) is in this file. (sk_••••••••abcd)' },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: 'src/app%20config.ts' },
                region: { startLine: 3, startColumn: 14 },
              },
            },
          ],
        },
      ],
    },
  ],
};

let stubTgz: string;
beforeAll(() => {
  // A stand-in @signus/cli: writes its arguments and CI environment to a file, prints $STUB_SARIF, exits $STUB_EXIT.
  const pkg = join(tempDir('signus-stub-'), 'stub');
  mkdirSync(pkg);
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: '@signus/cli', version: '0.0.0-stub', bin: { signus: 'signus.mjs' }, type: 'module' }),
  );
  writeFileSync(
    join(pkg, 'signus.mjs'),
    `#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
writeFileSync(process.env.STUB_CALLS, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), event: process.env.GITHUB_EVENT_NAME, eventPath: process.env.GITHUB_EVENT_PATH }));
process.stderr.write('Scanned 2 commits (base..head).\\n');
process.stdout.write(process.env.STUB_SARIF ?? '');
process.exitCode = Number(process.env.STUB_EXIT ?? 0);
`,
    { mode: 0o755 },
  );
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', join(pkg, '..')], {
    cwd: pkg,
    encoding: 'utf8',
  });
  stubTgz = join(pkg, '..', (JSON.parse(out) as { filename: string }[])[0]!.filename);
}, 60_000);
afterAll(cleanupTempDirs);

interface ActionRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  calls: { args: string[]; cwd: string; event: string; eventPath: string };
}

function runAction(
  event: 'push' | 'pull_request',
  inputs: Record<string, string>,
  stub: { exit: number; sarif: object },
): Promise<ActionRun> {
  const home = tempDir('signus-runner-');
  const workspace = join(home, 'workspace');
  mkdirSync(workspace);
  const payload =
    event === 'push'
      ? { before: 'a'.repeat(40), after: 'b'.repeat(40), ref: 'refs/heads/main', forced: false }
      : { pull_request: { number: 7, base: { sha: 'c'.repeat(40), ref: 'main' }, head: { sha: 'd'.repeat(40) } } };
  const eventPath = join(home, 'event.json');
  writeFileSync(eventPath, JSON.stringify(payload));
  const outputFile = join(home, 'github_output');
  writeFileSync(outputFile, '');
  const calls = join(home, 'calls.json');
  const env = {
    ...isolatedEnv(home),
    npm_config_cache: join(home, 'npm-cache'),
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_offline: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_ACTION_PATH: ROOT,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: home,
    STUB_CALLS: calls,
    STUB_EXIT: String(stub.exit),
    STUB_SARIF: JSON.stringify(stub.sarif),
    INPUT_CLI: stubTgz,
    INPUT_ARGS: '',
    INPUT_SARIF_FILE: 'signus.sarif',
    INPUT_FAIL_ON_FINDINGS: 'true',
    ...inputs,
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT], { cwd: workspace, env }, (error, stdout) => {
      const code = error ? ((error as { code?: number }).code ?? null) : 0;
      const outputs = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      let recorded: ActionRun['calls'];
      try {
        recorded = JSON.parse(readFileSync(calls, 'utf8')) as ActionRun['calls'];
      } catch {
        recorded = { args: [], cwd: '', event: '', eventPath: '' };
      }
      resolve({ code, stdout, outputs, calls: recorded });
    });
  });
}

describe('the GitHub Action script', { timeout: 60_000 }, () => {
  it('on a pull request with a finding: runs "signus scan --ci --format sarif" in the workspace, annotates, writes SARIF and outputs, fails', async () => {
    const run = await runAction(
      'pull_request',
      { INPUT_ARGS: '--verify --baseline ".signus baseline.json"' },
      { exit: 1, sarif: SARIF_WITH_FINDING },
    );
    expect(run.calls.args).toEqual([
      'scan',
      '--ci',
      '--format',
      'sarif',
      '--verify',
      '--baseline',
      '.signus baseline.json',
    ]);
    expect(run.calls.event).toBe('pull_request');
    expect(run.calls.eventPath).toMatch(/event\.json$/);
    expect(run.calls.cwd).toMatch(/workspace$/);
    expect(run.stdout).toContain(
      // Title and advice from the rule SARIF describes; a line break is %0A in a workflow command.
      '::warning file=src/app config.ts,line=3,col=14,title=A string shaped like a Signus API key::A Signus API key (or text shaped like one) is in this file. (sk_••••••••abcd)%0ATake the key out of the file.%0ADelete it if it was pushed.',
    );
    expect(run.stdout).toContain('::error title=Signus leak guard::A Signus API key was found.');
    expect(run.outputs.findings).toBe('1');
    expect(JSON.parse(readFileSync(run.outputs['sarif-file']!, 'utf8'))).toEqual(SARIF_WITH_FINDING);
    expect(run.code).toBe(1);
  });

  it('on a clean push: exit 0, findings=0, SARIF still written for upload', async () => {
    const clean = { ...SARIF_WITH_FINDING, runs: [{ ...SARIF_WITH_FINDING.runs[0], results: [] }] };
    const run = await runAction('push', {}, { exit: 0, sarif: clean });
    expect(run.code).toBe(0);
    expect(run.calls.event).toBe('push');
    expect(run.outputs.findings).toBe('0');
    expect(run.stdout).toContain('No Signus API keys in the scanned commits.');
  });

  it('with fail-on-findings false: reports and passes', async () => {
    const run = await runAction('push', { INPUT_FAIL_ON_FINDINGS: 'false' }, { exit: 1, sarif: SARIF_WITH_FINDING });
    expect(run.code).toBe(0);
    expect(run.outputs.findings).toBe('1');
  });

  it('when signus fails (exit 2, e.g. a range it cannot compute): fails with an error and writes no outputs', async () => {
    const run = await runAction('push', {}, { exit: 2, sarif: {} });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('::error title=Signus leak guard::signus scan failed (exit 2)');
    expect(run.outputs).toEqual({});
  });

  it('action.yml: a composite action that runs this script and uploads its SARIF with codeql-action', () => {
    const require = createRequire(import.meta.url);
    const yaml = require('js-yaml') as { load(text: string): unknown };
    const action = yaml.load(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
      runs: {
        using: string;
        steps: { uses?: string; run?: string; id?: string; if?: string; with?: Record<string, string> }[];
      };
      inputs: Record<string, unknown>;
    };
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps;
    expect(steps.find((s) => s.id === 'scan')!.run).toBe('node "$GITHUB_ACTION_PATH/ci/github/action.mjs"');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with!.sarif_file).toBe('${{ steps.scan.outputs.sarif-file }}');
    expect(upload.if).toContain('!cancelled()');
    expect(Object.keys(action.inputs).sort()).toEqual([
      'args',
      'cli',
      'fail-on-findings',
      'sarif-file',
      'upload-sarif',
    ]);
  });
});
