import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { CHROMIUM, EXTENSION_DIR, launchOptions, requireChromiumAndBuild } from './chromium-launch.mjs';
import { PAGE_READY } from './extension-browser.js';

export { CHROMIUM, EXTENSION_DIR };
export const RESULTS_DIR = new URL('../../test-results/', import.meta.url).pathname;

export interface LoadedExtension {
  context: BrowserContext;
  worker: Worker;
  id: string;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with the built extension loaded unpacked. Fails loudly when either is missing. */
export async function launchWithExtension(options: { extraArgs?: string[] } = {}): Promise<LoadedExtension> {
  requireChromiumAndBuild();
  const profile = await mkdtemp(join(tmpdir(), 'signus-ext-e2e-'));
  const launch = launchOptions({ width: 400, height: 640 });
  const context = await chromium.launchPersistentContext(profile, {
    ...launch,
    args: [...(launch.args ?? []), ...(options.extraArgs ?? [])],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const id = new URL(worker.url()).host;
  return {
    context,
    worker,
    id,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function openPage(ext: LoadedExtension, path: 'popup.html' | 'options.html'): Promise<Page> {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.id}/${path}`);
  await page.locator(PAGE_READY).waitFor();
  return page;
}

export { storageDump } from './popup-driver.js';
