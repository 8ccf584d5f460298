import type { Page } from 'puppeteer-core';

/** Chrome's limit for an extension popup, in CSS pixels at 100% zoom. */
export const POPUP_LIMIT = { width: 800, height: 600 } as const;

/** WCAG 2.2 SC 1.4.12 Text Spacing: the overrides a user's stylesheet may apply. */
export const TEXT_SPACING_CSS = `* {
  line-height: 1.5 !important;
  letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important;
}
p { margin-bottom: 2em !important; }`;

export interface Layout {
  viewport: { width: number; height: number };
  content: { width: number; height: number };
  zoom: number;
  /** Elements whose content does not fit their box and cannot be scrolled to: cut off, or spilling over. */
  clipped: string[];
}

/** Measures the page as it is drawn: the document's size and every element whose content is cut off. */
export function measureLayout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const clipped: string[] = [];
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    for (const el of document.body.querySelectorAll('*')) {
      // Form controls scroll their own value; hidden elements draw nothing.
      if (el.matches('input, select, textarea, option')) continue;
      // Text for screen readers only is clipped to a pixel on purpose.
      if (el.getBoundingClientRect().width <= 1 || el.closest('.sr-only, .visually-hidden')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const scrollableX = /auto|scroll/.test(style.overflowX);
      const scrollableY = /auto|scroll/.test(style.overflowY);
      // One pixel of rounding slack.
      const overX = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0;
      const overY = el.scrollHeight > el.clientHeight + 1 && el.clientHeight > 0;
      if ((overX && !scrollableX) || (overY && !scrollableY && style.overflowY !== 'visible')) {
        clipped.push(describe(el));
      }
    }
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) clipped.push(`the page scrolls sideways (${root.scrollWidth} px)`);
    return {
      viewport: { width: innerWidth, height: innerHeight },
      content: { width: root.scrollWidth, height: root.scrollHeight },
      zoom: devicePixelRatio,
      clipped,
    };
  });
}

export async function applyTextSpacing(page: Page): Promise<() => Promise<void>> {
  const handle = await page.addStyleTag({ content: TEXT_SPACING_CSS });
  return async () => {
    await handle.evaluate((el) => el.remove());
  };
}
