// Renders media/icon.png (128×128, the marketplace icon) from an SVG with Debian's Chromium.
// The PNG is committed; run this only to change it: node scripts/make-icon.mjs
import { chromium } from 'playwright-core';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'media', 'icon.png');
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#2b6bf3"/><stop offset="1" stop-color="#1537a8"/></linearGradient></defs>
  <rect width="128" height="128" rx="26" fill="url(#g)"/>
  <g fill="none" stroke="#fff" stroke-linecap="round" stroke-linejoin="round">
    <circle cx="44" cy="66" r="20" stroke-width="9"/>
    <path d="M58 52 L100 12 M82 30 L96 44 M92 20 L104 32" stroke-width="9"/>
    <path d="M16 108 C 34 92, 52 122, 72 104 S 102 98, 114 102" stroke-width="6" opacity="0.9"/>
  </g>
</svg>`;
const browser = await chromium.launch({
  executablePath: process.env.SIGNUS_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
await browser.close();
console.log(`wrote ${out}`);
