import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { startEmulator, type RunningEmulator } from '@signus/test/emulator';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, openPage, type LoadedExtension } from './chromium.js';
import { PAGE_READY } from './extension-browser.js';

// axe-core on the popup and the options page in every state, light and dark, in real Chromium.
let ext: LoadedExtension;
let emulator: RunningEmulator;
let axeSource: string;
const pages: Page[] = [];

beforeAll(async () => {
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  emulator = await startEmulator();
  ext = await launchWithExtension();
  const options = await openPage(ext, 'options.html');
  await options.getByLabel('Emulator URL').fill(emulator.url);
  await options.getByRole('button', { name: 'Save emulator URL' }).click();
  await options.getByText('Saved the local emulator URL.').waitFor();
  await options.close();
});

afterAll(async () => {
  await ext?.close();
  await emulator?.close();
});

afterEach(async () => {
  emulator.clearFaults();
  for (const page of pages.splice(0)) await page.close();
});

type Scheme = 'light' | 'dark';

async function open(path: 'popup.html' | 'options.html', colorScheme: Scheme): Promise<Page> {
  const page = await openPage(ext, path);
  pages.push(page);
  await page.emulateMedia({ colorScheme });
  await page.locator('main').waitFor();
  return page;
}

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** Every WCAG 2.2 A/AA rule and axe's best practices. A violation fails with what and where. */
async function violations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol: the extension page's CSP would refuse an injected <script>.
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    })) as { violations: AxeViolation[] };
    return result.violations;
  });
  return found.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`).join('; ')}`,
  );
}

async function fill(page: Page, options: { key?: string; environment?: string; customUrl?: string } = {}) {
  await page.getByLabel('Environment').selectOption(options.environment ?? 'emulator');
  if (options.customUrl !== undefined) await page.getByLabel('Base URL').fill(options.customUrl);
  await page.getByLabel('Account ID').fill(emulator.accountId);
  await page.getByLabel('API key').fill(options.key ?? emulator.apiKey);
}

async function result(page: Page): Promise<void> {
  await page.locator('.outcome').waitFor({ timeout: 10_000 });
}

/** Each popup state: how to reach it from a freshly opened popup. */
const POPUP_STATES: [string, (page: Page) => Promise<void>][] = [
  ['empty', async () => undefined],
  [
    'field errors',
    async (page) => {
      await page.getByLabel('API key').fill(emulator.accountId);
      await page.getByLabel('Account ID').fill('acct-42');
      await page.getByLabel('Environment').selectOption('custom');
      await page.getByLabel('Base URL').fill('ftp://x');
      await page.getByRole('button', { name: 'Test' }).click();
      await page.locator('#account-message').getByText(/UUID/).waitFor();
    },
  ],
  [
    'a warning and a note',
    async (page) => {
      await page.getByLabel('Environment').selectOption('custom');
      await page.getByLabel('Base URL').fill('http://staging.example.test/v1');
      await page.getByText(/sent unencrypted/).waitFor();
    },
  ],
  [
    'running',
    async (page) => {
      emulator.injectFault({ kind: 'latency', ms: 3000 }, 1);
      await fill(page);
      await page.getByRole('button', { name: 'Test' }).click();
      await page.getByRole('button', { name: 'Cancel' }).waitFor();
    },
  ],
  [
    'valid, history open',
    async (page) => {
      await fill(page);
      await page.getByRole('button', { name: 'Test' }).click();
      await result(page);
      await page.getByText(/Recent tests/).click();
    },
  ],
  [
    'rejected (401)',
    async (page) => {
      await fill(page, { key: 'sk_FAKE_a11y_0000000000000000000000' });
      await page.getByRole('button', { name: 'Test' }).click();
      await result(page);
    },
  ],
  [
    'no usable answer (not JSON)',
    async (page) => {
      emulator.injectFault({ kind: 'non_json' }, 1);
      await fill(page);
      await page.getByRole('button', { name: 'Test' }).click();
      await result(page);
    },
  ],
];

describe('axe: 0 violations in every state', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const [state, reach] of POPUP_STATES) {
      it(`popup, ${state}, ${scheme}`, async () => {
        const page = await open('popup.html', scheme);
        await reach(page);
        expect(await violations(page)).toEqual([]);
      });
    }

    it(`popup, host permission refused, ${scheme}`, async () => {
      const page = await ext.context.newPage();
      pages.push(page);
      // As in popup.e2e.ts: the user's "Deny" on a prompt headless Chromium cannot show.
      await page.addInitScript(() => {
        const api = (globalThis as unknown as { chrome: { permissions: { request: unknown } } }).chrome;
        api.permissions.request = () => Promise.resolve(false);
      });
      await page.goto(`chrome-extension://${ext.id}/popup.html`);
      await page.locator(PAGE_READY).waitFor();
      await page.emulateMedia({ colorScheme: scheme });
      await fill(page, { environment: 'custom', customUrl: 'http://127.0.0.2:9' });
      await page.getByRole('button', { name: 'Test' }).click();
      await page.getByText('Host permission needed', { exact: true }).waitFor();
      expect(await violations(page)).toEqual([]);
    });

    it(`options, with an environment, a field error and a notice, ${scheme}`, async () => {
      const page = await open('options.html', scheme);
      expect(await violations(page)).toEqual([]);
      // One per colour scheme: the options page refuses a second environment of the same name or URL.
      await page.getByLabel('Name').fill(`Staging ${scheme}`);
      await page.getByLabel('Base URL').fill(`${emulator.url}/${scheme}`);
      await page.getByRole('button', { name: 'Add environment' }).click();
      await page.getByText(`Saved Staging ${scheme}.`).waitFor();
      expect(await violations(page)).toEqual([]);
      await page.getByLabel('Name').fill('Broken');
      await page.getByLabel('Base URL').fill('not a url');
      await page.getByRole('button', { name: 'Add environment' }).click();
      await page
        .locator('#env-message')
        .getByText(/is not a URL/)
        .waitFor();
      await page.getByLabel('Timeout (seconds)').fill('0');
      await page.getByRole('button', { name: 'Save timeout' }).click();
      await page.getByText(/whole number of seconds/).waitFor();
      expect(await violations(page)).toEqual([]);
    });
  }
});

describe('axe: the check can fail', () => {
  it('finds a low-contrast text and an unlabelled field when there are some', async () => {
    const page = await open('popup.html', 'light');
    await page.evaluate(() => {
      const bad = document.createElement('div');
      bad.innerHTML = '<p style="color:#9a6700;background:#fff3c4">4.37:1 amber</p><input id="nameless">';
      document.querySelector('main')!.append(bad);
    });
    const found = (await violations(page)).map((v) => v.split(' ')[0]);
    expect(found).toEqual(expect.arrayContaining(['color-contrast', 'label']));
  });
});

describe('keyboard and screen-reader behaviour in real Chromium', () => {
  it('Enter on Test runs it and leaves the focus on Test', async () => {
    const page = await open('popup.html', 'light');
    await fill(page);
    await page.getByRole('button', { name: 'Test' }).focus();
    await page.keyboard.press('Enter');
    await result(page);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Test');
  });

  it('the status is one live region, updated in place from idle to running to the verdict', async () => {
    emulator.injectFault({ kind: 'latency', ms: 600 }, 1);
    const page = await open('popup.html', 'light');
    await page.evaluate(() => {
      const region = document.querySelector('.result [role="status"]')!;
      (globalThis as unknown as { seen: string[] }).seen = [];
      new MutationObserver(() => {
        // The same node, still in the document: an update, never a new region.
        const now = document.querySelector('.result [role="status"]');
        (globalThis as unknown as { seen: string[] }).seen.push(now === region ? region.textContent! : 'REPLACED');
      }).observe(document.querySelector('.result')!, { subtree: true, childList: true, characterData: true });
    });
    await fill(page);
    await page.getByLabel('API key').press('Enter');
    await result(page);
    const seen = await page.evaluate(() => (globalThis as unknown as { seen: string[] }).seen);
    expect(seen).not.toContain('REPLACED');
    expect(seen).toContain('Testing the key.');
    expect(seen.at(-1)).toMatch(/^Valid, 200 OK\. The key works.* 12 templates visible to this key$/);
  });

  it('each field error is in a live region the field points at', async () => {
    const page = await open('popup.html', 'light');
    await page.getByLabel('API key').fill('');
    await page.getByLabel('Account ID').fill('');
    await page.getByRole('button', { name: 'Test' }).click();
    for (const [field, message] of [
      ['API key', '#key-message'],
      ['Account ID', '#account-message'],
    ] as const) {
      const input = page.getByLabel(field, { exact: true });
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      expect(await input.getAttribute('aria-describedby')).toBe(message.slice(1));
      expect(await page.locator(message).getAttribute('aria-live')).toBe('polite');
      expect((await page.locator(message).innerText()).length).toBeGreaterThan(10);
    }
  });

  it('reflows at 320 px wide (400 px at 200% zoom and narrower): no sideways scrolling', async () => {
    const page = await open('popup.html', 'light');
    await page.setViewportSize({ width: 320, height: 640 });
    emulator.injectFault({ kind: 'non_json' }, 1);
    await fill(page);
    await page.getByLabel('API key').press('Enter');
    await result(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    // The options page with a saved environment whose URL is long.
    const options = await open('options.html', 'light');
    await options.setViewportSize({ width: 320, height: 640 });
    await options.getByLabel('Name').fill('A staging environment with a long name');
    await options.getByLabel('Base URL').fill(`${emulator.url}/a/very/long/path/prefix/that/does/not/fit/in/one/line`);
    await options.getByRole('button', { name: 'Add environment' }).click();
    await options.getByText(/^Saved A staging/).waitFor();
    expect(await options.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  });
});
