// Starts a real VS Code workbench with a real extension host: the VS Code server from code-server,
// opened in headless Debian Chromium. Desktop VS Code cannot be had on our machines (see
// shared/test-recipes.md); this is the same workbench and the same Node extension host.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureCodeServer } from '../ensure-code-server.mjs';

const CHROMIUM = process.env.SIGNUS_CHROMIUM ?? '/usr/bin/chromium';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the VS Code server exited early (code ${child.exitCode})`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the VS Code server did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * @param {{ extensionDevelopmentPath: string, extensionTestsPath?: string, folder?: string,
 *   userDataDir: string, extensionsDir: string, env?: NodeJS.ProcessEnv, logFile?: string,
 *   onExit?: (code: number) => void, onConsole?: (text: string) => void, viewport?: {width:number,height:number} }} options
 */
export async function startCodeHost(options) {
  const serverMain = ensureCodeServer();
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run "apt-get install -y chromium" (or set SIGNUS_CHROMIUM)`);
  }
  mkdirSync(options.userDataDir, { recursive: true });
  mkdirSync(options.extensionsDir, { recursive: true });
  // A fresh extensions folder without this file makes the first run fail with "command not found".
  const extensionsJson = join(options.extensionsDir, 'extensions.json');
  if (!existsSync(extensionsJson)) writeFileSync(extensionsJson, '[]');

  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const server = spawn(
    process.execPath,
    [
      serverMain,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      // Lets the test run report its exit code (window.codeAutomationExit); it also makes modal dialogs
      // refuse to open, so a person-driven session runs without it.
      ...(options.onExit ? ['--enable-smoke-test-driver'] : []),
      '--disable-telemetry',
      // As @vscode/test-electron asks of desktop VS Code: no trust prompt, so git and hooks work.
      ...(options.trustWorkspace === false ? [] : ['--disable-workspace-trust']),
      '--user-data-dir',
      options.userDataDir,
      '--extensions-dir',
      options.extensionsDir,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  const log = options.logFile ? createWriteStream(options.logFile) : undefined;
  server.stdout.on('data', (d) => log?.write(d));
  server.stderr.on('data', (d) => log?.write(d));

  let browser;
  const close = async () => {
    await browser?.close().catch(() => {});
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    log?.end();
  };
  try {
    await waitForHttp(`http://${host}/version`, server, 60_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://${host}` });
    const page = await context.newPage();
    if (options.onConsole) {
      page.on('console', async (m) => {
        // Extension-host output arrives as ('%c INFO', 'color: …', format, ...args): rebuild the line.
        const args = await Promise.all(m.args().map((a) => a.jsonValue().catch(() => '')));
        options.onConsole(m.text(), args);
      });
    }
    if (options.onExit) await page.exposeFunction('codeAutomationExit', (code) => options.onExit(Number(code)));
    const payload = [['extensionDevelopmentPath', `vscode-remote://${host}${options.extensionDevelopmentPath}`]];
    if (options.extensionTestsPath) {
      payload.push(['extensionTestsPath', `vscode-remote://${host}${options.extensionTestsPath}`]);
    }
    const query = new URLSearchParams();
    if (options.folder) query.set('folder', options.folder);
    query.set('payload', JSON.stringify(payload));
    await page.goto(`http://${host}/?${query}`);
    return { page, browser, host, close };
  } catch (error) {
    await close();
    throw error;
  }
}
