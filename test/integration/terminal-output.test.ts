// Whether the CLI writes to a terminal is decided without the tty module on Linux (shared/src/cli/io.ts):
// on a real pseudo-terminal (util-linux `script`) the report is coloured, to /dev/null or a pipe it is not,
// and in none of the three is the tty module loaded (it brings net and the streams: ~7 ms on every commit
// made in a terminal).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quotePosix } from '@signus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, CLI } from './cli-run.js';
import { cleanupTempDirs, fakeKey, tempDir } from './scan-helpers.js';

beforeAll(() => {
  assertCliBuilt();
  if (!existsSync('/usr/bin/script')) throw new Error('util-linux `script` is needed to give the CLI a terminal.');
});
afterAll(cleanupTempDirs);

const ESC = '\u001b[';

/** A file that records, at exit, whether node loaded its tty module. */
function probe(dir: string): { preload: string; report: string } {
  const preload = join(dir, 'tty-probe.cjs');
  const report = join(dir, 'tty-loaded');
  writeFileSync(
    preload,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(report)}, String(process.moduleLoadList.includes('NativeModule tty'))));\n`,
  );
  return { preload, report };
}

function scanCase(stdout: 'terminal' | 'null' | 'pipe') {
  const dir = tempDir('signus-terminal-');
  writeFileSync(join(dir, 'config.env'), `SIGNUS_API_KEY=${fakeKey()}\n`);
  const { preload, report } = probe(dir);
  const argv = [process.execPath, '-r', preload, CLI, 'scan', '--no-cache', join(dir, 'config.env')];
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm-256color' };
  let screen: string;
  if (stdout === 'terminal') {
    const r = spawnSync('script', ['-q', '-e', '-c', argv.map(quotePosix).join(' '), '/dev/null'], {
      env,
      timeout: 30_000,
    });
    screen = r.stdout.toString('utf8');
    expect(r.status).toBe(1);
  } else if (stdout === 'null') {
    const r = spawnSync('sh', ['-c', `${argv.map(quotePosix).join(' ')} >/dev/null; echo $?`], {
      env,
      timeout: 30_000,
    });
    expect(r.stdout.toString().trim()).toBe('1');
    screen = '';
  } else {
    const r = spawnSync(argv[0]!, argv.slice(1), { env, timeout: 30_000 });
    screen = r.stdout.toString('utf8');
    expect(r.status).toBe(1);
  }
  return { screen, ttyLoaded: readFileSync(report, 'utf8') };
}

describe('the CLI at a terminal, without the tty module', { timeout: 60_000 }, () => {
  it('colours the report on a pseudo-terminal', () => {
    const { screen, ttyLoaded } = scanCase('terminal');
    expect(screen).toContain('possible Signus key');
    expect(screen).toContain(ESC);
    expect(ttyLoaded).toBe('false');
  });

  it('writes plain text to a pipe and nothing needs the tty module for /dev/null', () => {
    const piped = scanCase('pipe');
    expect(piped.screen).toContain('possible Signus key');
    expect(piped.screen).not.toContain(ESC);
    expect(piped.ttyLoaded).toBe('false');
    expect(scanCase('null').ttyLoaded).toBe('false');
  });
});
