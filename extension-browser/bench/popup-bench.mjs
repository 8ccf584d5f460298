// Benchmark of the built Chrome extension in Debian's headless Chromium, against the local emulator:
//  1. opening the real toolbar popup (chrome.action.openPopup, the browser's own popup window, not a tab)
//     until its first contentful paint, against a peer in the same run: the same popup slot showing a blank
//     page of the same extension (chrome.action.setPopup), opened alternately with it;
//  2. from the same opens, the popup's own marks: its script starting, the form focused (interactive),
//     what storage holds filled in;
//  3. clicking Test until the result is painted, minus the request's own time (the server's share).
// Prints medians (and p90) over several runs, and ratios, with the machine's load; writes the figures into
// docs/benchmarks.md (section "popup"). Needs `pnpm build` here and in test/ first.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import puppeteer from 'puppeteer-core';
import { writeSection } from '../../test/bench/doc-section.mjs';
import { CHROMIUM, chromiumArgs, EXTENSION_DIR } from '../test/e2e/chromium-launch.mjs';

const EMULATOR = new URL('../../test/dist/emulator.mjs', import.meta.url).pathname;
const DOC = new URL('../../docs/benchmarks.md', import.meta.url).pathname;
const OPEN_RUNS = Math.max(15, Number(process.env.BENCH_OPEN_RUNS ?? 25));
const TEST_RUNS = Number(process.env.BENCH_TEST_RUNS ?? 25);
const WARM_UP = 2;
const LATENCY_MS = 200;

// BENCH_BUILD: another Chrome build to measure the same way (an earlier commit's, for a before/after).
const BUILD = process.env.BENCH_BUILD ?? EXTENSION_DIR;
// BENCH_BEFORE: earlier Chrome builds (comma-separated) whose popups are opened in the same run too,
// alternately with this one's and the blank page, in the same slot with the same storage: a before/after
// that sees the same load.
const BEFORES = (process.env.BENCH_BEFORE ?? '').split(',').filter(Boolean);

for (const [path, hint] of [
  [CHROMIUM, 'apt-get install -y chromium'],
  [join(BUILD, 'manifest.json'), 'pnpm build (in extension-browser)'],
  [EMULATOR, 'pnpm --filter @signus/test build'],
  ...BEFORES.map((dir) => [join(dir, 'popup.html'), 'BENCH_BEFORE: Chrome build directories (.output/chrome-mv3)']),
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
const load = () => loadavg()[0].toFixed(2);

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

const loadAtStart = load();
const emulator = await startEmulator();
const profile = await mkdtemp(join(tmpdir(), 'signus-ext-bench-'));
// The build with a blank page beside the popup, for the peer: the same extension, the same browser run.
const build = await mkdtemp(join(tmpdir(), 'signus-ext-bench-build-'));
await cp(BUILD, build, { recursive: true });
const BLANK = 'bench-blank.html';
await writeFile(
  join(build, BLANK),
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Blank</title><main><h1>Signus key tester</h1></main></html>',
);
// The earlier popups beside this one: each page under another name, its chunks and styles beside these
// (their names carry a hash of their content, so a file of the same name is the same file).
const beforePage = (i) => `bench-before-${i + 1}.html`;
for (const [i, dir] of BEFORES.entries()) {
  for (const sub of ['chunks', 'assets']) {
    await cp(join(dir, sub), join(build, sub), { recursive: true, force: false });
  }
  await cp(join(dir, 'popup.html'), join(build, beforePage(i)));
}
const PAGES = ['popup.html', BLANK, ...BEFORES.map((_, i) => beforePage(i))];
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  pipe: true,
  userDataDir: profile,
  defaultViewport: { width: 400, height: 600 },
  args: chromiumArgs(build),
});

try {
  const workerTarget = await browser.waitForTarget((t) => t.type() === 'service_worker', { timeout: 15_000 });
  const worker = await workerTarget.worker();
  const origin = `chrome-extension://${new URL(workerTarget.url()).host}`;
  const { url, accountId, apiKey } = emulator.info;
  // What a returning user has stored: the account, the emulator picked, one past test.
  await worker.evaluate(
    (settings, history) => globalThis.chrome.storage.local.set({ settings, history }),
    {
      accountId,
      selectedEnvironment: 'emulator',
      emulatorUrl: url,
      environments: [],
      customBaseUrl: '',
      timeoutSeconds: 10,
    },
    [
      {
        maskedSecret: 'sk_••••••••WXYZ',
        accountId,
        baseUrl: url,
        verdict: 'valid',
        status: 200,
        durationMs: 12,
        testedAt: new Date().toISOString(),
      },
    ],
  );

  /**
   * Opens `page` in the toolbar popup, as a click on the button does, and reads when it painted. Times are
   * the browser's own clock on both sides: the worker's when it asked, the popup's paint entry.
   */
  async function openPopup(page) {
    await worker.evaluate((popup) => globalThis.chrome.action.setPopup({ popup }), page);
    const shown = browser.waitForTarget((t) => t.type() === 'page' && t.url() === `${origin}/${page}`, {
      timeout: 10_000,
    });
    const askedAt = await worker.evaluate(() => {
      const at = performance.timeOrigin + performance.now();
      return globalThis.chrome.action.openPopup().then(() => at);
    });
    const popup = await (await shown).asPage();
    const seen = await popup.evaluate(
      () =>
        new Promise((resolve) => {
          // PerformanceObserver: the paint entry the popup's page recorded itself (buffered: before we asked).
          new PerformanceObserver((list, observer) => {
            const paint = list.getEntriesByName('first-contentful-paint')[0];
            if (!paint) return;
            observer.disconnect();
            const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
            const until = performance.now() + 2_000;
            const wait = () => {
              // Storage may answer after first paint: wait for that mark too (an earlier build, which read
              // storage before rendering, has none).
              if (
                document.querySelector('#app') &&
                mark('signus:state-loaded') === undefined &&
                performance.now() < until
              ) {
                return void setTimeout(wait, 5);
              }
              resolve({
                timeOrigin: performance.timeOrigin,
                paint: paint.startTime,
                parsed: performance.getEntriesByType('navigation')[0]?.domInteractive,
                loaded: performance.getEntriesByType('navigation')[0]?.loadEventStart || undefined,
                styled: performance.getEntriesByType('resource').find((r) => r.name.endsWith('.css'))?.responseEnd,
                scriptStart: mark('signus:script-start'),
                interactive: mark('signus:interactive'),
                stateLoaded: mark('signus:state-loaded'),
              });
            };
            wait();
          }).observe({ type: 'paint', buffered: true });
        }),
    );
    await popup.close();
    return { ...seen, fromOpen: seen.timeOrigin + seen.paint - askedAt, toNavigation: seen.timeOrigin - askedAt };
  }

  // 1 and 2. Alternately, each page first in turn, so all see the same load; the first opens warm the
  // browser's caches.
  const runs = Object.fromEntries(PAGES.map((page) => [page, []]));
  for (let i = 0; i < OPEN_RUNS + WARM_UP; i++) {
    const order = PAGES.map((_, k) => PAGES[(i + k) % PAGES.length]);
    for (const page of order) {
      const seen = await openPopup(page);
      if (i >= WARM_UP) runs[page].push(seen);
    }
  }
  runs.popup = runs['popup.html'];
  runs.blank = runs[BLANK];

  const pick = (list, key) => list.map((run) => run[key]).filter((value) => value !== undefined);

  // 3. Click Test → result painted, against the request's own duration (the popup page in a tab: the
  // test's time does not depend on the window it is in).
  async function measureTests(latency) {
    if (latency) await control(url, 'POST', { kind: 'latency', ms: latency, times: TEST_RUNS + WARM_UP });
    const page = await browser.newPage();
    await page.goto(`${origin}/popup.html`);
    await page.waitForSelector('main:not(:has([aria-busy="true"])) #api-key');
    await page.locator('#api-key').fill(apiKey);
    const totals = [];
    const requests = [];
    for (let i = 0; i < TEST_RUNS + WARM_UP; i++) {
      await page.evaluate(() => performance.clearMarks());
      await page.click('form button[type="submit"]');
      await page.waitForFunction(() => performance.getEntriesByName('signus:result-painted').length > 0);
      const { total, request, verdict } = await page.evaluate(() => ({
        total:
          performance.getEntriesByName('signus:result-painted')[0].startTime -
          performance.getEntriesByName('signus:test-start')[0].startTime,
        request: Number(document.querySelector('.outcome')?.getAttribute('data-duration-ms')),
        verdict: document.querySelector('.outcome')?.getAttribute('data-verdict'),
      }));
      if (verdict !== 'valid') throw new Error(`test was not valid: ${verdict}`);
      if (i >= WARM_UP) {
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
  const loadAtEnd = load();

  const lines = [];
  const say = (line) => {
    console.log(line);
    lines.push(line);
  };
  say(
    `Signus Key Tester popup benchmark, ${new Date().toISOString()} (headless ${CHROMIUM}, ${(await browser.version()).replace('HeadlessChrome/', 'Chromium ')}; ` +
      `${BUILD === EXTENSION_DIR ? '' : `build ${BUILD}; `}${BEFORES.length ? `before: ${BEFORES.join(', ')}; ` : ''}${OPEN_RUNS} opens of each page after ${WARM_UP} warm-up, ${TEST_RUNS} tests each; 1-minute load average ${loadAtStart} at the start, ${loadAtEnd} at the end)`,
  );
  const popupOpen = median(pick(runs.popup, 'fromOpen'));
  const blankOpen = median(pick(runs.blank, 'fromOpen'));
  const popupNav = median(pick(runs.popup, 'paint'));
  const blankNav = median(pick(runs.blank, 'paint'));
  say(`toolbar popup opened (chrome.action.openPopup) → first contentful paint (PerformanceObserver 'paint'):`);
  say(
    `  popup median ${ms(popupOpen)}, p90 ${ms(p90(pick(runs.popup, 'fromOpen')))}; ` +
      `peer (blank page in the same popup) median ${ms(blankOpen)}, p90 ${ms(p90(pick(runs.blank, 'fromOpen')))}`,
  );
  say(
    `  popup − peer: ${ms(popupOpen - blankOpen)} (the popup's own share); ratio popup/peer ${(popupOpen / blankOpen).toFixed(2)}`,
  );
  say(
    `  of which the browser making the popup's window, before the page's navigation starts: popup median ` +
      `${ms(median(pick(runs.popup, 'toNavigation')))}, peer ${ms(median(pick(runs.blank, 'toNavigation')))}`,
  );
  say(
    `  navigation start → first contentful paint: popup median ${ms(popupNav)}, p90 ${ms(p90(pick(runs.popup, 'paint')))}; ` +
      `peer median ${ms(blankNav)}; popup − peer ${ms(popupNav - blankNav)}, ratio ${(popupNav / blankNav).toFixed(2)}`,
  );
  const verdict = (value) => `${ms(value)} (${value <= 100 ? 'met' : 'not met'})`;
  say(
    `target, first paint ≤ 100 ms: open → paint ${verdict(popupOpen)}; navigation → paint ${verdict(popupNav)}; ` +
      `the popup's share over the blank page ${verdict(popupOpen - blankOpen)}`,
  );
  say(
    `page parsed (domInteractive, from navigation start): popup median ${ms(median(pick(runs.popup, 'parsed')))}, ` +
      `peer ${ms(median(pick(runs.blank, 'parsed')))}`,
  );
  // Chromium shows an extension's popup window once its page has loaded: scripts and all.
  say(
    `page loaded (load event, from navigation start): popup median ${ms(median(pick(runs.popup, 'loaded')))}, ` +
      `peer ${ms(median(pick(runs.blank, 'loaded')))}`,
  );
  // Whether the first frame waited for the popup's script: painted before it started, it did not.
  const paintedFirst = (list) => list.filter((run) => run.scriptStart === undefined || run.paint < run.scriptStart);
  say(
    `first contentful paint before the popup's script started: ${paintedFirst(runs.popup).length} of ${runs.popup.length} opens`,
  );
  for (const [i, dir] of BEFORES.entries()) {
    const before = runs[beforePage(i)];
    const beforeOpen = median(pick(before, 'fromOpen'));
    const beforeNav = median(pick(before, 'paint'));
    say(`before (${dir}'s popup.html, opened in the same run and slot, alternately with the others):`);
    say(
      `  open → first paint median ${ms(beforeOpen)}, p90 ${ms(p90(pick(before, 'fromOpen')))}; ` +
        `before − peer ${ms(beforeOpen - blankOpen)}; navigation → first paint median ${ms(beforeNav)}; ` +
        `page loaded ${ms(median(pick(before, 'loaded')))}; ` +
        `first paint before its script started: ${paintedFirst(before).length} of ${before.length} opens`,
    );
    say(
      `  now/before: open → paint ${(popupOpen / beforeOpen).toFixed(2)} (${ms(popupOpen - beforeOpen)}), ` +
        `navigation → paint ${(popupNav / beforeNav).toFixed(2)} (${ms(popupNav - beforeNav)}), ` +
        `share over the blank page ${ms(popupOpen - blankOpen)} vs ${ms(beforeOpen - blankOpen)}`,
    );
  }
  say(
    `popup's own marks (from navigation start, medians): script starts ${ms(median(pick(runs.popup, 'scriptStart')))}, ` +
      `form focused (interactive) ${ms(median(pick(runs.popup, 'interactive')))}, ` +
      `first paint ${ms(popupNav)}, storage filled in ${ms(median(pick(runs.popup, 'stateLoaded')))}`,
  );
  for (const [name, run] of [
    ['emulator, no added latency', fast],
    [`emulator, +${LATENCY_MS} ms latency`, slow],
  ]) {
    const total = median(run.totals);
    const overhead = median(run.overheads);
    say(`click Test → result painted (${name}):`);
    say(`  total median ${ms(total)}, request (server + loopback) median ${ms(median(run.requests))}`);
    say(
      `  popup's own time (total − request) median ${ms(overhead)}, p90 ${ms(p90(run.overheads))}; ` +
        `ratio total/request ${(total / median(run.requests)).toFixed(2)}`,
    );
  }
  if (!process.env.BENCH_NO_DOC && BUILD === EXTENSION_DIR) {
    writeSection(
      DOC,
      'popup',
      `## Browser extension: the toolbar popup\n\nWritten by \`extension-browser/bench/popup-bench.mjs\` (part of \`pnpm bench\`); what it ` +
        `measures and why: extension-browser/README.md, "Benchmark".\n\n\`\`\`text\n${lines.join('\n')}\n\`\`\``,
    );
  }
} finally {
  await browser.close();
  emulator.stop();
  await rm(profile, { recursive: true, force: true });
  await rm(build, { recursive: true, force: true });
}
