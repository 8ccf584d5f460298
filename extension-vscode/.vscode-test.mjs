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

export default defineConfig({
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
});
