import { createServer } from 'node:http';
import type { Page } from 'puppeteer-core';
import type { Point } from './x-display.js';

/**
 * An ordinary web page holding a key (`#key`: `Bearer <key>`), served on 127.0.0.1, for the context-menu
 * tests in headed Chromium and Firefox.
 */
export async function startNotesPage(key: string): Promise<{ url: string; close(): Promise<void> }> {
  const site = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>Notes</title><body style="font:20px sans-serif;margin:40px">` +
        `<p>Deploy notes. The key: <span id="key">Bearer ${key}</span></p></body>`,
    );
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(site.address() as { port: number }).port}/`,
    close: () => new Promise((resolve) => site.close(() => resolve())),
  };
}

/** Selects the element's text in the page; resolves with a point on it on the screen, for the X pointer. */
export function selectOnScreen(page: Page, selector: string): Promise<Point> {
  return page.$eval(selector, (element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    const rect = element.getBoundingClientRect();
    // The page's top-left on screen: the window's position plus the browser's chrome above the page.
    const top = screenY + outerHeight - innerHeight;
    const left = screenX + (outerWidth - innerWidth) / 2;
    return { x: Math.round(left + rect.left + 8), y: Math.round(top + rect.top + rect.height / 2) };
  });
}
