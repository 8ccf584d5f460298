// @vscode/test-cli configuration. VS Code itself is played by scripts/host/vscode-standin.mjs, which runs
// the tests in a real extension host (code-server's VS Code server + headless Chromium).
import { defineConfig } from '@vscode/test-cli';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const run = join(root, 'out', 'host-run');
rmSync(run, { recursive: true, force: true });
const workspace = join(run, 'workspace');
const userData = join(run, 'user-data');
mkdirSync(workspace, { recursive: true });
mkdirSync(userData, { recursive: true });
writeFileSync(join(workspace, 'README.md'), '# Host test workspace\n');
// A git repository, so the built-in git extension opens it and the staged-change watch can be tested.
const git = (...args) => execFileSync('git', args, { cwd: workspace, stdio: 'ignore' });
git('init', '-q', '-b', 'main');
git('config', 'user.email', 'host-test@example.invalid');
git('config', 'user.name', 'Host Test');
git('add', 'README.md');
git('commit', '-q', '-m', 'initial');

// For test/host/launch.ts: a program that reports whether it got the key (its SHA-256, never the key itself),
// and tasks.json entries that VS Code resolves through the extension's task provider, as when a user runs them.
const launchDir = join(workspace, 'launch-test');
mkdirSync(launchDir, { recursive: true });
writeFileSync(
  join(launchDir, 'report-env.cjs'),
  `const { createHash } = require('node:crypto');
const key = process.env.SIGNUS_API_KEY;
require('node:fs').writeFileSync(require('node:path').join(__dirname, 'report.json'), JSON.stringify({
  set: key !== undefined,
  fingerprint: key === undefined ? null : createHash('sha256').update(key).digest('hex'),
  account: process.env.SIGNUS_ACCOUNT_ID ?? null,
  base: process.env.SIGNUS_BASE_URL ?? null,
  args: process.argv.slice(2),
}));
`,
);
mkdirSync(join(workspace, '.vscode'), { recursive: true });
const reportTask = (label, key, ...args) => ({
  label,
  type: 'signus',
  command: process.execPath,
  args: [join(launchDir, 'report-env.cjs'), ...args],
  key,
});
writeFileSync(
  join(workspace, '.vscode', 'tasks.json'),
  JSON.stringify(
    {
      version: '2.0.0',
      tasks: [reportTask('Signus env task', 'Staging', 'from-task'), reportTask('Signus missing-key task', 'Nope')],
    },
    null,
    2,
  ),
);

// Restricted Mode: a folder the user has not trusted, whose own settings try to turn the extension against the
// user. Workspace trust is on (the stand-in drops --disable-workspace-trust) and the startup prompt is off, so
// the folder stays untrusted; the suite asserts that it is.
const untrustedRun = join(run, 'untrusted');
const untrusted = join(untrustedRun, 'cloned-repo');
const untrustedUserData = join(untrustedRun, 'user-data');
mkdirSync(join(untrusted, '.vscode'), { recursive: true });
mkdirSync(join(untrustedUserData, 'User'), { recursive: true });
writeFileSync(
  join(untrustedUserData, 'User', 'settings.json'),
  JSON.stringify({ 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }),
);
const victim = join(untrustedRun, 'victim.bashrc');
writeFileSync(victim, "# the user's shell start-up file\n");
writeFileSync(
  join(untrusted, '.vscode', 'settings.json'),
  JSON.stringify(
    {
      'signus.knownKeys.path': victim,
      'signus.terminal.injectEnvironment': true,
      'signus.scan.enabled': false,
      'signus.developerSettingsUrl': 'https://app.signus-ai.example/settings/developer',
      // Harmless, so honoured: proves the folder's settings are read at all.
      'signus.requestTimeoutMs': 4321,
    },
    null,
    2,
  ),
);

export default defineConfig([
  {
    label: 'extension host',
    files: 'out/test/host/**/*.test.cjs',
    extensionDevelopmentPath: join(root, 'out', 'vsix'),
    workspaceFolder: workspace,
    useInstallation: { fromPath: join(root, 'scripts', 'host', 'vscode-standin.mjs') },
    skipExtensionDependencies: true,
    launchArgs: [`--user-data-dir=${userData}`, `--extensions-dir=${join(run, 'extensions')}`],
    env: {
      SIGNUS_KNOWN_KEYS: join(run, 'known-keys.json'),
      SIGNUS_TEST_RUN_DIR: run,
      SIGNUS_TEST_USER_DATA: userData,
    },
    mocha: { ui: 'bdd', timeout: 60_000, color: false },
  },
  {
    label: 'untrusted workspace',
    files: 'out/test/host-untrusted/**/*.test.cjs',
    extensionDevelopmentPath: join(root, 'out', 'vsix'),
    workspaceFolder: untrusted,
    useInstallation: { fromPath: join(root, 'scripts', 'host', 'vscode-standin.mjs') },
    skipExtensionDependencies: true,
    launchArgs: [`--user-data-dir=${untrustedUserData}`, `--extensions-dir=${join(untrustedRun, 'extensions')}`],
    env: {
      SIGNUS_HOST_WORKSPACE_TRUST: 'enabled',
      SIGNUS_KNOWN_KEYS: join(untrustedRun, 'known-keys.json'),
      SIGNUS_TEST_VICTIM: victim,
    },
    mocha: { ui: 'bdd', timeout: 60_000, color: false },
  },
]);
