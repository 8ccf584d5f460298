// Benchmark of the built Chrome extension in Debian's headless Chromium, against the local emulator:
//  1. first paint of the popup against a peer in the same run: a blank page of the same extension (the
//     browser's own cost of opening an extension page), opened alternately with it;
//  2. opening the popup until it is interactive (focus in the key field, handlers attached);
//  3. clicking Test until the result is painted, minus the request's own time (the server's share).
// Prints medians (and p90) over several runs, and ratios. Needs `pnpm build` here and in test/ first.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { CHROMIUM, EXTENSION_DIR, launchOptions } from '../test/e2e/chromium-launch.mjs';

const EMULATOR = new URL('../../test/dist/emulator.mjs', import.meta.url).pathname;
const OPEN_RUNS = Number(process.env.BENCH_OPEN_RUNS ?? 25);
const TEST_RUNS = Number(process.env.BENCH_TEST_RUNS ?? 25);
const LATENCY_MS = 200;

for (const [path, hint] of [
  [CHROMIUM, 'apt-get install -y chromium'],
  [join(EXTENSION_DIR, 'manifest.json'), 'pnpm build (in extension-browser)'],
  [EMULATOR, 'pnpm --filter @signus/test build'],
]) {
  if (!existsSync(path)) {
    console.error(`bench: missing ${path} (${hint})`);
    process.exit(2);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
const p90 = (values) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.9) - 1];
const ms = (n) => `${n.toFixed(1)} ms`;

async function startEmulator() {
  const child = spawn(process.execPath, [EMULATOR, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { info: JSON.parse(line), stop: () => child.kill('SIGTERM') };
}

/** Adds (POST) or clears (DELETE) the emulator's injected faults. */
async function control(url, method, body) {
  const response = await fetch(`${url}/_emulator/faults`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body && { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`emulator control: ${response.status}`);
}

const emulator = await startEmulator();
const profile = await mkdtemp(join(tmpdir(), 'signus-ext-bench-'));
// The build with a blank page beside the popup, for the peer: the same extension, the same browser run.
const build = await mkdtemp(join(tmpdir(), 'signus-ext-bench-build-'));
await cp(EXTENSION_DIR, build, { recursive: true });
await writeFile(
  join(build, 'bench-blank.html'),
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Blank</title><main><h1>Signus key tester</h1></main></html>',
);
const context = await chromium.launchPersistentContext(profile, launchOptions({ width: 400, height: 600 }, build));

try {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const origin = `chrome-extension://${new URL(worker.url()).host}`;
  const popupUrl = `${origin}/popup.html`;
  const { url, accountId, apiKey } = emulator.info;
  await worker.evaluate((settings) => globalThis.chrome.storage.local.set({ settings }), {
    accountId,
    selectedEnvironment: 'emulator',
    emulatorUrl: url,
    environments: [],
    customBaseUrl: '',
    timeoutSeconds: 10,
  });

  // 1. First paint (first-contentful-paint, from navigation start): the popup, whose body is empty until
  // Preact renders the form, against the blank page, alternately so both see the same load.
  async function firstPaint(url) {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    const at = await page.waitForFunction(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      undefined,
      { polling: 'raf' },
    );
    const value = await at.jsonValue();
    await page.close();
    return value;
  }
  const popupPaint = [];
  const blankPaint = [];
  for (let i = 0; i < OPEN_RUNS + 2; i++) {
    const [first, second] = i % 2 ? [popupUrl, `${origin}/bench-blank.html`] : [`${origin}/bench-blank.html`, popupUrl];
    const a = await firstPaint(first);
    const b = await firstPaint(second);
    if (i < 2) continue;
    popupPaint.push(first === popupUrl ? a : b);
    blankPaint.push(first === popupUrl ? b : a);
  }

  // 2. Open → interactive. The in-page figure is from navigation start to the popup's own
  // "interactive" mark; the wall figure adds what the harness sees (new tab, CDP round trips).
  const inPage = [];
  const loading = [];
  const own = [];
  const wall = [];
  for (let i = 0; i < OPEN_RUNS + 2; i++) {
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(popupUrl, { waitUntil: 'commit' });
    await page.waitForFunction(() => performance.getEntriesByName('signus:interactive').length > 0);
    const elapsed = performance.now() - started;
    const marks = await page.evaluate(() => ({
      interactive: performance.getEntriesByName('signus:interactive')[0].startTime,
      scriptStart: performance.getEntriesByName('signus:script-start')[0].startTime,
    }));
    if (i >= 2) {
      // The first two opens warm the browser's caches; a popup is opened again and again.
      inPage.push(marks.interactive);
      loading.push(marks.scriptStart);
      own.push(marks.interactive - marks.scriptStart);
      wall.push(elapsed);
    }
    await page.close();
  }

  // 3. Click Test → result painted, against the request's own duration.
  async function measureTests(latency) {
    if (latency) await control(url, 'POST', { kind: 'latency', ms: latency, times: TEST_RUNS + 2 });
    const page = await context.newPage();
    await page.goto(popupUrl);
    await page.getByLabel('API key').fill(apiKey);
    const totals = [];
    const requests = [];
    for (let i = 0; i < TEST_RUNS + 2; i++) {
      await page.evaluate(() => performance.clearMarks());
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      await page.waitForFunction(() => performance.getEntriesByName('signus:result-painted').length > 0);
      const { total, request } = await page.evaluate(() => ({
        total:
          performance.getEntriesByName('signus:result-painted')[0].startTime -
          performance.getEntriesByName('signus:test-start')[0].startTime,
        request: Number(document.querySelector('.outcome')?.getAttribute('data-duration-ms')),
      }));
      if ((await page.locator('.outcome').getAttribute('data-verdict')) !== 'valid')
        throw new Error('test was not valid');
      if (i >= 2) {
        totals.push(total);
        requests.push(request);
      }
    }
    await page.close();
    await control(url, 'DELETE');
    return { totals, requests, overheads: totals.map((t, i) => t - requests[i]) };
  }
  const fast = await measureTests(0);
  const slow = await measureTests(LATENCY_MS);

  console.log(`Signus Key Tester popup benchmark (headless ${CHROMIUM}, ${OPEN_RUNS} opens, ${TEST_RUNS} tests each)`);
  const popupMedian = median(popupPaint);
  const blankMedian = median(blankPaint);
  console.log(
    `first paint (navigation start → first contentful paint): popup median ${ms(popupMedian)}, p90 ${ms(p90(popupPaint))}; ` +
      `peer (blank page of the same extension) median ${ms(blankMedian)}, p90 ${ms(p90(blankPaint))}`,
  );
  console.log(
    `  popup − peer: ${ms(popupMedian - blankMedian)} (the popup's own share: its scripts, storage reads, render); ` +
      `ratio popup/peer ${(popupMedian / blankMedian).toFixed(2)}`,
  );
  console.log(
    `open → interactive (in page, from navigation start): median ${ms(median(inPage))}, p90 ${ms(p90(inPage))}`,
  );
  console.log(`  of which the browser loading the page and its scripts: median ${ms(median(loading))}`);
  console.log(
    `  of which the popup's own start (storage reads, render, focus): median ${ms(median(own))}, p90 ${ms(p90(own))}`,
  );
  console.log(`open → interactive (harness wall clock):             median ${ms(median(wall))}, p90 ${ms(p90(wall))}`);
  for (const [name, run] of [
    ['emulator, no added latency', fast],
    [`emulator, +${LATENCY_MS} ms latency`, slow],
  ]) {
    const total = median(run.totals);
    const overhead = median(run.overheads);
    console.log(`click Test → result painted (${name}):`);
    console.log(`  total median ${ms(total)}, request (server + loopback) median ${ms(median(run.requests))}`);
    console.log(
      `  popup's own time (total − request) median ${ms(overhead)}, p90 ${ms(p90(run.overheads))}; ` +
        `ratio total/request ${(total / median(run.requests)).toFixed(2)}`,
    );
  }
} finally {
  await context.close();
  emulator.stop();
  await rm(profile, { recursive: true, force: true });
  await rm(build, { recursive: true, force: true });
}
