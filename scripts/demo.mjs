// The quick-start demo: the main job of these tools, run against the local Signus emulator
// (the real API is not reachable from everywhere). Each step prints the command a user would type.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}shared/dist/signus.mjs`;
const color = process.stdout.isTTY && !('NO_COLOR' in process.env);
const bold = (text) => (color ? `\x1b[1m${text}\x1b[22m` : text);
const dim = (text) => (color ? `\x1b[2m${text}\x1b[22m` : text);

function heading(text) {
  process.stdout.write(`\n${bold(`━━ ${text}`)}\n`);
}

/** Runs a command as a user would, showing it (with any key hidden behind its variable) and its exit code. */
function run(command, args, { env = {}, cwd, input = '', shown = `${command} ${args.join(' ')}` } = {}) {
  process.stdout.write(`${dim('$')} ${shown}\n`);
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env, ...(color && { FORCE_COLOR: '1' }) },
    stdio: ['pipe', 'inherit', 'inherit'],
    input,
  });
  process.stdout.write(dim(`(exit code ${result.status})\n`));
  return result.status;
}

function signus(args, env, shown = `signus ${args.join(' ')}`) {
  return run(process.execPath, [cli, ...args], { env, input: env.STDIN ?? '', shown });
}

async function startEmulator() {
  const child = spawn(process.execPath, [`${root}test/dist/emulator.mjs`, '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the emulator exited with code ${code}`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  return { child, ...JSON.parse(line) };
}

const emu = await startEmulator();
const env = { SIGNUS_API_KEY: emu.apiKey, SIGNUS_ACCOUNT_ID: emu.accountId, SIGNUS_BASE_URL: emu.url };
let failures = 0;
const expect = (code, wanted) => {
  if (code !== wanted) failures += 1;
};

try {
  heading(`Local Signus emulator at ${emu.url}`);
  process.stdout.write(`Account ID ${emu.accountId}; the demo key is in SIGNUS_API_KEY (never on the command line).\n`);

  heading('1. Test a valid key: the request the app\'s "Test API key" dialog sends');
  expect(signus(['test'], env), 0);

  heading('2. Delete the key in Signus, then test it again: 401 on the next call');
  const state = await (await fetch(`${emu.url}/_emulator/state`)).json();
  const demoKey = state.keys.find((k) => k.accountId === emu.accountId && k.deletedAt === null);
  await fetch(`${emu.url}/_emulator/keys/${demoKey.id}`, { method: 'DELETE' });
  expect(signus(['test'], env), 1);

  heading('3. A key pasted with its header, read from standard input; JSON for scripts (secret masked)');
  const fresh = await (await fetch(`${emu.url}/_emulator/keys`, { method: 'POST', body: '{"name":"Demo 2"}' })).json();
  expect(
    signus(
      ['test', '--key-stdin', '--json'],
      { ...env, SIGNUS_API_KEY: undefined, STDIN: `Authorization: Bearer ${fresh.secret}\n` },
      "pbpaste | signus test --key-stdin --json        # pasted: 'Authorization: Bearer sk_…'",
    ),
    0,
  );

  heading('4. A key on the command line is refused before anything is sent');
  expect(
    signus(
      ['test', '--key', 'sk_FAKE_demo_0000111122223333abcd'],
      env,
      'signus test --key sk_FAKE_demo_0000111122223333abcd',
    ),
    2,
  );

  heading('5. The pre-commit hook blocks a commit that adds a key');
  const repo = mkdtempSync(join(tmpdir(), 'signus-demo-repo-'));
  try {
    const git = (...args) => spawnSync('git', args, { cwd: repo, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'demo@example.com');
    git('config', 'user.name', 'Demo');
    process.stdout.write(dim(`(a new git repository in ${repo})\n`));
    expect(run(process.execPath, [cli, 'hook', 'install'], { cwd: repo, shown: 'signus hook install' }), 0);
    writeFileSync(join(repo, 'client.ts'), `export const client = new Signus({\n  apiKey: '${fresh.secret}',\n});\n`);
    git('add', 'client.ts');
    expect(
      run('git', ['commit', '-q', '-m', 'Add Signus client'], {
        cwd: repo,
        shown: 'git add client.ts && git commit -m "Add Signus client"',
      }),
      1,
    );
    process.stdout.write(dim('(the key is replaced by an environment variable, and the commit goes through)\n'));
    writeFileSync(
      join(repo, 'client.ts'),
      'export const client = new Signus({\n  apiKey: process.env.SIGNUS_API_KEY,\n});\n',
    );
    git('add', 'client.ts');
    expect(
      run('git', ['commit', '-q', '-m', 'Add Signus client'], {
        cwd: repo,
        shown: 'git add client.ts && git commit -m "Add Signus client"',
      }),
      0,
    );
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
} finally {
  emu.child.kill();
}

heading(
  failures === 0
    ? 'Demo finished: every step behaved as described.'
    : `Demo finished with ${failures} unexpected exit code(s).`,
);
process.exitCode = failures === 0 ? 0 : 1;
