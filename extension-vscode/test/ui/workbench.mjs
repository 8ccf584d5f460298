// Drives the real VS Code workbench as a person would: the activity bar, the command palette, input
// boxes (multi-step, with Back), the key list (grouped, a production key, an old key pending revocation, Test All
// Keys), the test panel, and a new git repository's protection offer, against the local emulator.
// Saves screenshots to test-results/ (and to docs/screenshots/ with SIGNUS_UPDATE_DOCS_SCREENSHOTS=1), some also in
// Light and Dark High Contrast; none may show a whole key, fake or not. Exits non-zero on any failed step.
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startCodeHost } from '../../scripts/host/code-host.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const results = join(root, 'test-results');
// Test runs leave the tracked docs alone unless asked: a run must not dirty the work tree.
const docs = process.env.SIGNUS_UPDATE_DOCS_SCREENSHOTS === '1' ? join(root, '..', 'docs', 'screenshots') : undefined;
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed += 1;
    console.log(`  ✔ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failed += 1;
    console.log(
      `  ✖ ${name}\n    ${String(error?.message ?? error)
        .split('\n')
        .slice(0, 6)
        .join('\n    ')}`,
    );
    throw error;
  }
}

function startEmulator() {
  const cli = join(root, '..', 'test', 'dist', 'emulator.mjs');
  if (!existsSync(cli)) execFileSync('pnpm', ['--filter', '@signus/test', 'build'], { cwd: root, stdio: 'inherit' });
  const child = spawn(process.execPath, [cli, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, info: JSON.parse(line) }));
  });
}

/**
 * Runs in a frame: each secret shown whole there, as text or in an input box. Text cut off by the viewport or by
 * an element that clips it (the editor's scrolled area, a truncated label) is not whole on screen.
 */
function wholeKeysOnScreen(secrets) {
  const shown = (rect, element) => {
    if (rect.width === 0 || rect.height === 0) return false;
    if (rect.left < 0 || rect.top < 0 || rect.right > innerWidth + 0.5 || rect.bottom > innerHeight + 0.5) return false;
    for (let e = element; e && e !== document.documentElement; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') return false;
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const box = e.getBoundingClientRect();
      if (rect.left < box.left - 0.5 || rect.right > box.right + 0.5) return false;
      if (rect.top < box.top - 0.5 || rect.bottom > box.bottom + 0.5) return false;
    }
    return true;
  };
  const found = [];
  // All text in order, so a key split over several elements (editor tokens) is still found.
  const nodes = [];
  let text = '';
  const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push({ node, start: text.length });
    text += node.textContent;
  }
  for (const secret of secrets) {
    for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
      const end = at + secret.length;
      const parts = nodes.filter((n) => n.start < end && n.start + n.node.textContent.length > at);
      const whole = parts.every(({ node, start }) => {
        const range = document.createRange();
        range.setStart(node, Math.max(0, at - start));
        range.setEnd(node, Math.min(node.textContent.length, end - start));
        const rects = [...range.getClientRects()];
        return rects.length > 0 && rects.every((r) => shown(r, node.parentElement));
      });
      if (whole) found.push(`${secret.slice(0, 7)}… in "${text.slice(Math.max(0, at - 30), at).trim()}"`);
    }
    for (const input of document.querySelectorAll('input'))
      if (input.value.includes(secret) && shown(input.getBoundingClientRect(), input))
        found.push(`${secret.slice(0, 7)}… typed in an input box`);
  }
  return found;
}

const scratch = mkdtempSync(join(tmpdir(), 'signus-ui-'));
const workspace = join(scratch, 'workspace');
mkdirSync(workspace);
// A key-shaped fixture, obviously fake, for the editor's leak warning. It starts far enough right on its line
// that the editor cuts it off: even a fake key is never whole in a screenshot.
const FAKE_KEY = 'sk_FAKE_9f3Kq2LmZx7Rw4Tb8Nc1Vd5H'; // signus:allow (an obviously fake fixture)
const HEADERS = "Accept: 'application/json', 'User-Agent': 'signus-example/1.0 (example.com/docs)'";
writeFileSync(
  join(workspace, 'client.ts'),
  `// Signus client\nconst headers = {\n  ${HEADERS}, Authorization: 'Bearer ${FAKE_KEY}',\n};\nexport default headers;\n`,
);
const { child: emulatorProcess, info: emulator } = await startEmulator();
let host;
try {
  host = await startCodeHost({
    extensionDevelopmentPath: join(root, 'out', 'vsix'),
    folder: workspace,
    userDataDir: join(scratch, 'user-data'),
    extensionsDir: join(scratch, 'extensions'),
    logFile: join(scratch, 'server.log'),
    env: { SIGNUS_KNOWN_KEYS: join(scratch, 'known-keys.json') },
    viewport: { width: 1280, height: 900 },
  });
  const { page } = host;
  const secrets = [emulator.apiKey, emulator.otherApiKey, FAKE_KEY];
  const shot = async (name) => {
    // No screenshot shows a whole key, fake or not, in any frame (the test panel is a webview).
    for (const frame of page.frames()) {
      const whole = await frame.evaluate(wholeKeysOnScreen, secrets).catch(() => []);
      if (whole.length) throw new Error(`a whole key is on screen in vscode-${name}.png: ${whole.join('; ')}`);
    }
    const file = join(results, `vscode-${name}.png`);
    await page.screenshot({ path: file });
    if (docs) copyFileSync(file, join(docs, `vscode-${name}.png`));
    console.log(`    screenshot: test-results/vscode-${name}.png`);
  };
  const quickInput = page.locator('.quick-input-widget');
  const quickInputBox = quickInput.locator('.quick-input-box input');

  /** Types into the open input box or quick pick and presses Enter. */
  async function answer(text, { expectPrompt } = {}) {
    await quickInput.waitFor({ state: 'visible' });
    if (expectPrompt) {
      // An input box shows its prompt as text; a quick pick shows its question as the input's placeholder.
      await page.waitForFunction(
        (want) => {
          const widget = document.querySelector('.quick-input-widget');
          const input = widget?.querySelector('.quick-input-box input');
          return !!widget && (widget.textContent?.includes(want) || input?.getAttribute('placeholder')?.includes(want));
        },
        expectPrompt,
        { timeout: 15_000 },
      );
    }
    await quickInputBox.fill(text);
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(250);
  }

  /**
   * F1, until the command palette is open: a key pressed while a webview takes the focus back (after a theme
   * change re-renders it) can be lost on its way to the workbench.
   */
  async function openPalette() {
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('F1');
      const open = await quickInput.waitFor({ state: 'visible', timeout: 5000 }).then(
        () => true,
        () => false,
      );
      if (open) return;
      if (attempt === 3) throw new Error('F1 did not open the command palette');
    }
  }

  async function palette(command) {
    await openPalette();
    await quickInputBox.fill(`>${command}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
  }

  async function addKeyThroughUi(name, secret) {
    await palette('Signus: Add API Key');
    await answer(name, { expectPrompt: 'A name for the key' });
    await answer(secret, { expectPrompt: 'The secret of' });
    await answer(emulator.accountId, { expectPrompt: 'Account ID' });
    await answer('Another base URL', { expectPrompt: 'Which Signus environment' });
    await answer(emulator.url, { expectPrompt: 'base URL of the Signus API' });
    await answer('Test, then save', { expectPrompt: 'Test the key' });
  }

  /** Each theme the screenshots use: the workbench's class for it, and a webview's (the test panel). */
  const THEMES = {
    'Dark Modern': ['vs-dark', 'vscode-dark'],
    'Light Modern': ['vs', 'vscode-light'],
    'Dark High Contrast': ['hc-black', 'vscode-high-contrast'],
  };
  /** Arrow keys in the open quick pick until the focused row is named `label`, then Enter. */
  async function chooseRow(label) {
    for (let i = 0; ; i++) {
      const focused = await quickInput
        .locator('.monaco-list-row.focused .label-name')
        .innerText({ timeout: 2000 })
        .catch(() => '');
      if (focused.trim() === label) break;
      if (i === 20) throw new Error(`no row "${label}" in the quick pick (focused: "${focused}")`);
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
  }

  /**
   * Preferences: Color Theme, then the theme's own row (the first row can be "Browse Color Themes in
   * Marketplace"), by keyboard so the pointer can stay where it is (a notification stays up while the pointer is
   * on it); done once the workbench and every webview wear the theme.
   */
  async function pickTheme(theme) {
    const [type, webviewClass] = THEMES[theme];
    await openPalette();
    await quickInputBox.fill('>Preferences: Color Theme');
    await quickInput.locator('.monaco-list-row .label-name', { hasText: /^Preferences: Color Theme$/ }).waitFor();
    await chooseRow('Preferences: Color Theme');
    await quickInput.locator('.quick-input-box input[placeholder*="Select Color Theme"]').waitFor();
    await quickInputBox.fill(theme);
    await quickInput.locator('.monaco-list-row .label-name', { hasText: new RegExp(`^${theme}$`) }).waitFor();
    await chooseRow(theme);
    await quickInput.waitFor({ state: 'hidden' });
    await page.waitForFunction((type) => document.querySelector('.monaco-workbench')?.classList.contains(type), type);
    // Webviews (the test panel) take the theme a moment later, by message.
    for (const frame of page.frames()) {
      const themed = await frame
        .evaluate(() => /\bvscode-(light|dark|high-contrast)\b/.test(document.body?.className ?? ''))
        .catch(() => false);
      if (themed)
        await frame.waitForFunction((c) => document.body.classList.contains(c), webviewClass, { timeout: 15_000 });
    }
    await page.waitForTimeout(300);
  }

  /**
   * The screen `show` puts up, in Light and High Contrast (`<name>-light`, `<name>-high-contrast`), then shown
   * again in Dark Modern. The Color Theme picker closes a quick pick or waits behind a modal: `close` takes the
   * screen down before each switch, `show(suffix)` puts it back (suffix undefined for Dark Modern).
   */
  async function shotInThemes(name, { show, close = async () => {} }) {
    for (const [theme, suffix] of [
      ['Light Modern', 'light'],
      ['Dark High Contrast', 'high-contrast'],
      ['Dark Modern', undefined],
    ]) {
      await close();
      await pickTheme(theme);
      await show(suffix);
      if (suffix) await shot(`${name}-${suffix}`);
    }
  }
  /** Where a person points at the fake key in the editor: a few characters in, where it is on screen. */
  async function pointAtKey() {
    const point = await page.evaluate((key) => {
      for (const line of document.querySelectorAll('.view-line')) {
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent.indexOf(key.slice(0, 8));
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at + 4);
          range.setEnd(node, at + 6);
          const r = range.getBoundingClientRect();
          return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
        }
      }
      return undefined;
    }, FAKE_KEY);
    if (!point) throw new Error('the key is not on screen');
    return point;
  }

  const keyRow = (name) => page.locator('.pane-body .monaco-list-row', { hasText: name });

  await step('the workbench loads with a Signus container in the activity bar', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const signus = page
      .locator('.activitybar .action-item a[aria-label^="Signus"], .activitybar .action-item[aria-label^="Signus"]')
      .first();
    // The container appears once the extension host has started: on a loaded 2-core machine that took over 30 s.
    await signus.waitFor({ timeout: 90_000 });
    await page.waitForTimeout(1500);
    await signus.click();
    // The web workbench opens its own walkthrough on first start; a person would close it.
    await page
      .locator('.tabs-container .tab', { hasText: 'Walkthrough' })
      .locator('.codicon-close')
      .click()
      .catch(() => {});
    await page.getByText('No Signus API keys yet').waitFor();
    await page.locator('.welcome-view-content .monaco-button', { hasText: 'Add API Key' }).waitFor();
    await shot('welcome');
  });

  await step('a bad secret typed into Add API Key is named in the input box', async () => {
    await palette('Signus: Add API Key');
    await answer('Staging', { expectPrompt: 'A name for the key' });
    await quickInputBox.fill('sk_FAKE_short');
    await page.locator('.quick-input-message', { hasText: 'too short' }).waitFor();
    await quickInputBox.fill(emulator.accountId);
    await page.locator('.quick-input-message', { hasText: 'looks like an Account ID' }).waitFor();
    await page.keyboard.press('Escape');
  });

  await step('Add API Key through the command palette and input boxes (tested against the emulator)', async () => {
    await addKeyThroughUi('Staging', emulator.apiKey);
    await keyRow('Staging').waitFor({ timeout: 20_000 });
    await keyRow('Staging').filter({ hasText: 'Valid' }).waitFor();
  });

  await step('a second key, CI/CD, from another workspace (its test says Forbidden; saved anyway)', async () => {
    await addKeyThroughUi('CI/CD', emulator.otherApiKey);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    // Enter (the default button) must not save a key Signus refused.
    const primary = (await dialog.locator('.dialog-buttons .monaco-button:not(.secondary)').first().innerText()).trim();
    if (primary !== "Don't Save") throw new Error(`the default button of a refused key is "${primary}"`);
    await dialog.getByRole('button', { name: 'Save Anyway' }).click();
    await keyRow('CI/CD').waitFor({ timeout: 20_000 });
  });

  await step(
    'the key list shows name, environment, age, masked secret and last test; the status bar the active key',
    async () => {
      const row = keyRow('Staging');
      const text = await row.innerText();
      for (const part of [
        'Staging',
        '127.0.0.1',
        'created just now',
        `sk_••••••••${emulator.apiKey.slice(-4)}`,
        'Valid (200)',
      ]) {
        if (!text.includes(part)) throw new Error(`the Staging row lacks "${part}": ${text}`);
      }
      if (text.includes(emulator.apiKey)) throw new Error('the row shows the full secret');
      await page.locator('.statusbar-item', { hasText: 'Staging (127.0.0.1' }).waitFor();
      // Widen the side bar as a person would, so each row is readable whole.
      const sidebar = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
      if (sidebar) {
        await page.mouse.move(sidebar.x + sidebar.width, sidebar.y + 200);
        await page.mouse.down();
        await page.mouse.move(sidebar.x + 680, sidebar.y + 200, { steps: 8 });
        await page.mouse.up();
      }
      await row.hover();
      await page.waitForTimeout(400);
      await shot('key-list');
    },
  );

  await step('clicking a key selects it; its Test button runs the key test and shows the panel', async () => {
    await keyRow('Staging').click();
    await page.waitForTimeout(1000);
    if (await page.locator('iframe.webview').count())
      throw new Error('a click on a key row ran a test: a test must be an explicit action');
    await keyRow('Staging').hover();
    await keyRow('Staging').locator('.action-label[aria-label="Test API Key"]').click();
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await webview.locator('#verdict', { hasText: 'Valid' }).waitFor({ timeout: 20_000 });
    const status = await webview.locator('#status').innerText();
    if (!status.startsWith('200')) throw new Error(`HTTP status shown: ${status}`);
    const curl = await webview.locator('#curl').innerText();
    if (curl.includes(emulator.apiKey) || !curl.includes('sk_••••••••'))
      throw new Error(`the cURL on screen is not masked: ${curl}`);
    await webview.locator('#body').waitFor();
    // Room for the whole panel: hide the side bar, as a person reading it would.
    await palette('View: Toggle Primary Side Bar Visibility');
    await webview.locator('#rerun').waitFor();
    await page.waitForTimeout(500);
    await shot('test-panel');
    await palette('View: Toggle Primary Side Bar Visibility');
  });

  await step('Copy cURL in the panel puts the exact command on the clipboard', async () => {
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await webview.locator('#copy-curl').click();
    await page.locator('.notifications-toasts', { hasText: 'copied the cURL command' }).waitFor();
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    if (!clip.includes(`Bearer ${emulator.apiKey}`)) throw new Error('the clipboard lacks the exact key');
  });

  await step(
    'Run again keeps the focus on Run again and lists both tests; the panel in High Contrast and Light',
    async () => {
      const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await webview.locator('#rerun').click();
      await webview.locator('#history li').nth(1).waitFor({ timeout: 20_000 });
      const focused = await webview.locator(':focus').getAttribute('id');
      if (focused !== 'rerun') throw new Error(`after Run again the focus is on ${focused}, not Run again`);
      const headers = await webview.locator('#headers').innerText();
      if (!headers.includes('content-type')) throw new Error(`the response headers are not shown: ${headers}`);
      await palette('View: Toggle Primary Side Bar Visibility');
      for (const [theme, name] of [
        ['Dark High Contrast', 'high-contrast'],
        ['Light Modern', 'light'],
      ]) {
        await pickTheme(theme);
        await webview.locator('#rerun').waitFor();
        await shot(`test-panel-${name}`);
      }
      await pickTheme('Dark Modern');
      await palette('View: Toggle Primary Side Bar Visibility');
      // The next step opens a quick pick: let the theme switch and the side bar settle first (slow under load).
      await quickInput.waitFor({ state: 'hidden' });
      await page.waitForTimeout(1000);
    },
  );

  await step('Test API Key → Paste a key… asks for the environment, offering the ones stored keys use', async () => {
    await palette('Signus: Test API Key');
    await answer('Paste a key', { expectPrompt: 'Which key?' });
    await answer(emulator.apiKey, { expectPrompt: 'Paste the key to test' });
    await answer(emulator.accountId, { expectPrompt: 'Account ID' });
    await page.waitForFunction(
      (url) => {
        const widget = document.querySelector('.quick-input-widget');
        return !!widget?.textContent?.includes(url) && widget.textContent.includes('Production');
      },
      emulator.url,
      { timeout: 15_000 },
    );
    await shot('test-pasted-environment');
    await answer(emulator.url, { expectPrompt: 'Which Signus environment should the key be tested against' });
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await webview.locator('#verdict', { hasText: 'Valid' }).waitFor({ timeout: 20_000 });
  });

  await step('Delete asks in a modal and says the key stays valid in Signus', async () => {
    await keyRow('CI/CD').click({ button: 'right' });
    const menu = page.locator('.context-view');
    for (const item of [
      'Test API Key',
      'Copy Secret',
      'Copy as .env Line',
      'Rename API Key',
      'Set Active API Key',
      'Delete API Key',
    ]) {
      await menu.getByText(item, { exact: true }).waitFor();
    }
    await page.keyboard.press('Escape');
    await keyRow('CI/CD').hover();
    await keyRow('CI/CD').locator('.action-label[aria-label^="Delete API Key"]').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText('removes the key from VS Code only').waitFor();
    await dialog.getByText('stays valid until it is deleted in Signus').waitFor();
    await shot('delete-dialog');
    await dialog.getByRole('button', { name: 'Delete from VS Code' }).click();
    await keyRow('CI/CD').waitFor({ state: 'detached' });
  });

  /** Creates a key through the emulator's control interface, as a person would in the Signus app. */
  async function emulatorKey(method, path, body) {
    const response = await fetch(`${emulator.url}/_emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`emulator ${method} ${path}: ${response.status}`);
    const text = await response.text();
    return text === '' ? undefined : JSON.parse(text);
  }
  const title = () => page.locator('.quick-input-widget .quick-input-title');
  // "Live" alone also matches the Production group's "live · 1 key" (hasText ignores case).
  const liveRow = () => keyRow('Live').filter({ hasText: 'production (live)' });
  // Staging's secret: rotations change it.
  let stagingSecret = emulator.apiKey;

  await step(
    'Add API Key counts its steps; Back returns with the name kept; a production key, saved untested',
    async () => {
      await palette('Signus: Add API Key');
      await answer('Live', { expectPrompt: 'A name for the key' });
      await title().filter({ hasText: '2/5' }).waitFor();
      await quickInputBox.fill('sk_');
      await page.waitForTimeout(300);
      await shot('add-step-counter');
      await quickInput.locator('.action-label[aria-label^="Back"]').first().click();
      await title().filter({ hasText: '1/5' }).waitFor();
      const kept = await quickInputBox.inputValue();
      if (kept !== 'Live') throw new Error(`after Back the name reads "${kept}"`);
      await page.keyboard.press('Enter');
      await title().filter({ hasText: '2/5' }).waitFor();
      await answer(emulator.otherApiKey, { expectPrompt: 'The secret of "Live"' });
      await answer(emulator.accountId, { expectPrompt: 'Account ID' });
      await answer('Production', { expectPrompt: 'Which Signus environment' });
      await answer('Save without testing', { expectPrompt: 'Test the key' });
      await liveRow().waitFor({ timeout: 20_000 });
    },
  );

  await step(
    'Rotate: the new key as a step with Back and a link to Signus, then a modal; the old key pending; three themes',
    async () => {
      const dialog = page.locator('.monaco-dialog-box');
      /** Rotates Staging to a key made in Signus, up to the last modal; returns the old key. */
      const rotate = async (suffix) => {
        const fresh = await emulatorKey('POST', 'keys', { accountId: emulator.accountId, name: 'rotated in' });
        secrets.push(fresh.secret);
        // Earlier messages closed first, so the modal stands alone.
        await palette('Notifications: Clear All Notifications');
        await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
        await palette('Signus: Rotate API Key');
        await answer('Staging', { expectPrompt: 'Rotate which key?' });
        await title().filter({ hasText: '2/' }).waitFor();
        await quickInput.locator('.action-label[aria-label^="Back"]').first().waitFor();
        await quickInput.locator('.action-label[aria-label^="Open Signus Developer Settings"]').first().waitFor();
        await page.waitForTimeout(300);
        if (!suffix) await shot('rotate-new-key');
        await answer(fresh.secret, { expectPrompt: 'Create a new key for "Staging"' });
        await dialog.getByText('Delete the old key').waitFor({ timeout: 20_000 });
        // The progress notification of the new key's test fades out behind the modal.
        await page
          .locator('.notifications-toasts .notification-toast', { hasText: 'testing the new key' })
          .waitFor({ state: 'detached', timeout: 15_000 });
        await page.waitForTimeout(300);
        const old = stagingSecret;
        stagingSecret = fresh.secret;
        return old;
      };
      const oldKeyRow = (secret) => keyRow('Old key').filter({ hasText: secret.slice(-4) });
      await rotate();
      await shot('rotate-done');
      // A modal cannot stay open while the theme changes: the other themes rotate again, each to a new key. Their
      // old keys go as a person would finish a rotation (deleted in Signus, verified, taken off the list), so the
      // list goes on with one old key pending, the first one.
      let extraOld;
      await shotInThemes('rotate-done', {
        close: async () => {
          if (!extraOld) {
            await dialog.getByRole('button', { name: 'Cancel' }).click();
            await dialog.waitFor({ state: 'detached' });
            await oldKeyRow(emulator.apiKey).filter({ hasText: 'pending revocation' }).waitFor();
            return;
          }
          await emulatorKey('POST', 'keys/delete', { secret: extraOld });
          await dialog.getByRole('button', { name: 'I Deleted It: Verify Now' }).click();
          await dialog.waitFor({ state: 'detached' });
          const revoked = oldKeyRow(extraOld).filter({ hasText: 'revoked (401)' });
          await revoked.waitFor({ timeout: 20_000 });
          await revoked.hover();
          await revoked.locator('.action-label[aria-label="Remove Revoked Old Key From the List"]').click();
          await revoked.waitFor({ state: 'detached' });
          await palette('Notifications: Clear All Notifications');
          await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
        },
        show: async (suffix) => {
          if (suffix) extraOld = await rotate(suffix);
        },
      });
    },
  );

  await step('the key list grouped by environment, production first and marked in words; three themes', async () => {
    await page.locator('.pane-body .monaco-list-row', { hasText: 'live · 1 key' }).waitFor();
    const live = liveRow();
    if (!(await live.innerText()).includes('production (live)')) throw new Error('the production row does not say so');
    if ((await live.locator('.codicon-flame').count()) === 0) throw new Error('the production row has no flame icon');
    const spoken = (await live.getAttribute('aria-label')) ?? '';
    if (!spoken.startsWith('Live, production key') || spoken.includes('•'))
      throw new Error(`the production row is read as "${spoken}"`);
    await page.mouse.move(5, 5);
    await page.waitForTimeout(300);
    await shot('key-list-grouped');
    for (const [theme, name] of [
      ['Light Modern', 'light'],
      ['Dark High Contrast', 'high-contrast'],
    ]) {
      await pickTheme(theme);
      await page.locator('.pane-body .monaco-list-row', { hasText: 'pending revocation' }).waitFor();
      await shot(`key-list-grouped-${name}`);
    }
    await pickTheme('Dark Modern');
    await quickInput.waitFor({ state: 'hidden' });
    await page.waitForTimeout(1000);
  });

  await step(
    'Verify Revoked on the pending row: 200 says it still works; after deletion in Signus, 401 marks it revoked',
    async () => {
      const pending = page.locator('.pane-body .monaco-list-row', { hasText: 'pending revocation' });
      await pending.hover();
      await pending.locator('.action-label[aria-label="Verify Old Key Is Revoked"]').click();
      await page.locator('.pane-body .monaco-list-row', { hasText: 'still works (200)' }).waitFor({ timeout: 20_000 });
      await emulatorKey('POST', 'keys/delete', { secret: emulator.apiKey });
      await pending.hover();
      await pending.locator('.action-label[aria-label="Verify Old Key Is Revoked"]').click();
      await page.locator('.pane-body .monaco-list-row', { hasText: 'revoked (401)' }).waitFor({ timeout: 20_000 });
      await page.mouse.move(5, 5);
      await page.waitForTimeout(300);
      await shot('key-list-revoked');
    },
  );

  await step(
    "Test All Keys from the key list's title bar: asks about the production key (skipped), then a summary; three themes",
    async () => {
      // Earlier messages closed first, as a person tidying up would, so the summary stands alone.
      await palette('Notifications: Clear All Notifications');
      await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
      await keyRow('Staging').hover();
      await page.locator('#workbench\\.parts\\.sidebar .action-label[aria-label="Test All Keys"]').first().click();
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.getByText('One key is a production key: "Live". Test it too?').waitFor();
      await page.waitForTimeout(300);
      await shot('test-all-production');
      // "Live" points at the real Signus API: a test that sends nothing there skips it, as offered.
      await dialog.getByRole('button', { name: 'Skip Production Keys' }).click();
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Tested 1 key' });
      await toast.waitFor({ timeout: 30_000 });
      const summary = (await toast.innerText()).replace(/\s+/g, ' ');
      for (const part of ['1 valid', 'Not tested: "Live"'])
        if (!summary.includes(part)) throw new Error(`the summary lacks "${part}": ${summary}`);
      await keyRow('Staging').filter({ hasText: 'Valid (200)' }).first().waitFor();
      for (const secret of [emulator.apiKey, emulator.otherApiKey])
        if ((await page.locator('.monaco-workbench').innerText()).includes(secret))
          throw new Error('a full key is on screen');
      // The progress notification fades out after the summary appears.
      await page
        .locator('.notifications-toasts .notification-toast', { hasText: 'testing all keys' })
        .waitFor({ state: 'detached', timeout: 15_000 });
      await page.mouse.move(5, 5);
      await page.waitForTimeout(300);
      await shot('test-all');
      // A person closes the summary before looking at the list in the other themes.
      await palette('Notifications: Clear All Notifications');
      await toast.waitFor({ state: 'detached' });
      for (const [theme, name] of [
        ['Dark High Contrast', 'high-contrast'],
        ['Light Modern', 'light'],
      ]) {
        await pickTheme(theme);
        await page.locator('.pane-body .monaco-list-row', { hasText: 'revoked (401)' }).waitFor();
        await page.mouse.move(5, 5);
        await page.waitForTimeout(300);
        await shot(`key-list-revoked-${name}`);
      }
      await pickTheme('Dark Modern');
      await quickInput.waitFor({ state: 'hidden' });
      await page.waitForTimeout(1000);
    },
  );

  await step('Copy Secret on a production key asks in a modal first; Cancel copies nothing', async () => {
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    await liveRow().hover();
    await liveRow().locator('.action-label[aria-label="Copy Secret"]').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText('"Live" is a production key. Copy its secret to the clipboard?').waitFor();
    await page.waitForTimeout(300);
    await shot('production-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    if (clip !== 'before') throw new Error('Cancel still copied the key');
  });

  await step('F2 renames the selected key; Delete asks, then removes it', async () => {
    await liveRow().click();
    await page.keyboard.press('F2');
    await quickInput.waitFor({ state: 'visible' });
    await title().filter({ hasText: 'Rename "Live"' }).waitFor();
    await page.keyboard.press('Escape');
    await quickInput.waitFor({ state: 'hidden' });
    await liveRow().click();
    await page.keyboard.press('Delete');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText('Delete "Live" from VS Code?').waitFor();
    await dialog.getByRole('button', { name: 'Delete from VS Code' }).click();
    await liveRow().waitFor({ state: 'detached' });
  });

  await step('a key-shaped string in an open file gets a warning, a hover and quick fixes', async () => {
    await palette('View: Toggle Primary Side Bar Visibility');
    await page.keyboard.press('Control+P');
    await quickInput.waitFor({ state: 'visible' });
    await quickInputBox.fill('client.ts');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'client.ts' }).first().waitFor();
    await page.keyboard.press('Enter');
    const squiggle = page.locator('.view-overlays .squiggly-warning, .view-overlays .squiggly-error').first();
    await squiggle.waitFor({ timeout: 20_000 });
    // The squiggle is an overlay; a person points at the text under it.
    const key = await pointAtKey();
    await page.mouse.click(key.x, key.y);
    // Right after opening, TypeScript's own provider may still be starting and the menu comes up empty;
    // a person would simply try again. Ctrl+. on an open menu accepts its selected fix, so a menu that
    // opened late is closed before the next try.
    const menu = page.locator('.action-widget');
    const fix = menu.getByText('Replace the key with process.env.SIGNUS_API_KEY');
    for (let attempt = 0; ; attempt++) {
      if (await menu.isVisible()) {
        await page.keyboard.press('Escape');
        await menu.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => {});
      }
      await page.keyboard.press('Control+.');
      if (
        await fix.waitFor({ timeout: 5000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      if (attempt === 8) throw new Error('the quick fixes never appeared');
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
    await menu.getByText('Allow this key everywhere (.signusignore)…').waitFor();
    await page.waitForTimeout(300);
    await shot('quick-fixes');
    await page.keyboard.press('Escape');
    await page.mouse.move(key.x - 60, key.y);
    await page.mouse.move(key.x, key.y);
    await page
      .locator('.monaco-hover', { hasText: 'not one of the keys stored in VS Code' })
      .waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
    await shot('leak-hover');
  });

  await step('"Allow" asks first and says where it applies; Manage Allowed Keys lists it and removes it', async () => {
    const dialog = page.locator('.monaco-dialog-box');
    const askToAllow = async () => {
      const key = await pointAtKey();
      await page.mouse.click(key.x, key.y);
      const menu = page.locator('.action-widget');
      await page.mouse.move(5, 5);
      await page.keyboard.press('Control+.');
      await menu.getByText('Allow this key everywhere (.signusignore)…').waitFor();
      // The hover may lie over the menu: a person would use the arrow keys.
      for (let i = 0; ; i++) {
        const focused = await menu
          .locator('.focused')
          .innerText()
          .catch(() => '');
        if (focused.includes('Allow this key everywhere')) break;
        if (i === 12) throw new Error('the Allow fix cannot be selected');
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
      await dialog.getByText('Allow sk_••••••••').waitFor();
      await dialog.getByText('the pre-commit hook then stop reporting this key').waitFor();
      await page.waitForTimeout(300);
    };
    await askToAllow();
    await shot('allow-confirm');
    await shotInThemes('allow-confirm', {
      close: async () => {
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await dialog.waitFor({ state: 'detached' });
      },
      show: askToAllow,
    });
    await dialog.getByRole('button', { name: 'Allow Everywhere' }).click();
    await page
      .locator('.view-overlays .squiggly-warning, .view-overlays .squiggly-error')
      .first()
      .waitFor({ state: 'detached', timeout: 20_000 });
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'client.ts: sk_••••••••' });
    const manage = async () => {
      await palette('Signus: Manage Allowed Keys');
      await page.locator('.quick-input-list', { hasText: '.signusignore: fingerprints' }).waitFor({ timeout: 15_000 });
      await row.waitFor();
      if ((await page.locator('.quick-input-widget').innerText()).includes(FAKE_KEY))
        throw new Error('the allowed list shows the full key');
      // Pointed at, the row shows its trash button and, a moment later, its whole description.
      await row.hover();
      await page.locator('.workbench-hover, .monaco-hover', { hasText: 'allowed in VS Code' }).waitFor();
      await page.waitForTimeout(300);
    };
    await manage();
    await shot('allowed-keys');
    await shotInThemes('allowed-keys', {
      close: async () => {
        await page.keyboard.press('Escape');
        await quickInput.waitFor({ state: 'hidden' });
      },
      show: manage,
    });
    await row.locator('.action-label[aria-label^="Stop allowing"]').click();
    await dialog.getByText('report the key again').waitFor();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await page
      .locator('.view-overlays .squiggly-warning, .view-overlays .squiggly-error')
      .first()
      .waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
  });

  await step(
    'Initialize Repository in Source Control: one protection offer, its buttons whole; Install Hook writes the hook',
    async () => {
      await palette('Notifications: Clear All Notifications');
      await page.locator('.activitybar .action-item a[aria-label^="Source Control"]').first().click();
      await page.locator('.welcome-view-content .monaco-button', { hasText: 'Initialize Repository' }).click();
      // With one folder open, git may still ask which folder: the workspace's own is the first row.
      const offer = page.locator('.notifications-toasts .notification-toast', { hasText: 'Signus: protect' });
      const asked = await Promise.race([
        offer.waitFor({ timeout: 30_000 }).then(
          () => false,
          () => false,
        ),
        quickInput.waitFor({ state: 'visible', timeout: 30_000 }).then(
          () => true,
          () => false,
        ),
      ]);
      if (asked) await page.keyboard.press('Enter');
      await offer.waitFor({ timeout: 30_000 });
      for (const button of ['Install Hook', 'Turn On Check', 'Not Now', 'Never Here'])
        await offer.getByRole('button', { name: button, exact: true }).waitFor();
      // The repository by its folder's name, not the absolute path of its root.
      const message = (await offer.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ');
      if (
        !message.startsWith('Signus: protect workspace? client.ts holds a Signus API key.') ||
        message.includes(scratch)
      )
        throw new Error(`the offer reads "${message}"`);
      for (const part of ['Install Hook: a pre-commit hook blocks', "Turn On Check: VS Code's Commit button asks"])
        if (!message.includes(part)) throw new Error(`the offer does not say "${part}": ${message}`);
      const cut = await offer
        .locator('.notification-list-item-buttons-container .monaco-button')
        .evaluateAll((buttons) => buttons.filter((b) => b.scrollWidth > b.clientWidth).map((b) => b.textContent));
      if (cut.length) throw new Error(`buttons cut off in the notification: ${cut.join(', ')}`);
      if (
        (await page.locator('.notifications-toasts .notification-toast', { hasText: 'Signus: protect' }).count()) !== 1
      )
        throw new Error('more than one protection offer');
      // A person reads the offer while the status item appears, saying the repository has no hook yet.
      await page.locator('.statusbar-item', { hasText: 'Signus: no hook' }).waitFor({ timeout: 30_000 });
      await page.mouse.move(5, 5);
      await page.waitForTimeout(300);
      await shot('protection-offer');
      // A notification stays up while the pointer rests on it (the theme is picked by keyboard); no pointer is
      // drawn in a screenshot.
      await offer.locator('.notification-list-item-message').hover();
      await shotInThemes('protection-offer', {
        show: async () => {
          await offer.waitFor({ timeout: 1000 });
          await page.locator('.statusbar-item', { hasText: 'Signus: no hook' }).waitFor();
          await page.waitForTimeout(300);
        },
      });
      await offer.getByRole('button', { name: 'Install Hook', exact: true }).click();
      await page
        .locator('.notifications-toasts', { hasText: 'pre-commit hook installed' })
        .waitFor({ timeout: 30_000 });
      if (!existsSync(join(workspace, '.git', 'hooks', 'pre-commit')))
        throw new Error('no pre-commit hook was written');
      await page.locator('.statusbar-item', { hasText: 'Signus: protected' }).waitFor({ timeout: 15_000 });
    },
  );
} catch (error) {
  // A failed step has been reported; a failure while starting up has not.
  if (failed === 0) {
    failed = 1;
    console.log(`  ✖ start-up: ${error instanceof Error ? error.message : String(error)}`);
  }
  await host?.page.screenshot({ path: join(results, 'vscode-failure.png') }).catch(() => {});
  const toasts = await host?.page
    .locator('.notifications-toasts')
    .innerText()
    .catch(() => '');
  if (toasts) console.log(`    notifications: ${toasts.replace(/\s+/g, ' ')}`);
} finally {
  await host?.close();
  emulatorProcess.kill();
  rmSync(scratch, { recursive: true, force: true });
  console.log(`\n${passed} passed, ${failed} failed`);
}
process.exit(failed === 0 ? 0 : 1);
