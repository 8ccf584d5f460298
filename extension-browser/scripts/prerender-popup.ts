/**
 * Puts the popup's form into popup.html at build time, so its first frame needs no script: the browser
 * paints the form once it has parsed the page and its stylesheet, and main.tsx hydrates it (Preact adopts
 * the elements as they are). The form is rendered by scripts/popup-markup.ts through WXT's entrypoint
 * importer, which runs it with this project's Vite plugins (JSX, the core's sources).
 */
import { fileURLToPath } from 'node:url';
import type { Wxt } from 'wxt';

const MOUNT = '<div id="app"></div>';

/** The part of a Vite plugin this needs (vite itself is WXT's dependency, not this package's). */
interface HtmlPlugin {
  name: string;
  transformIndexHtml: {
    order: 'pre';
    handler(html: string, context: { filename: string }): string | undefined;
  };
}

/**
 * What a page of this extension may hold before its script runs: no script or handler (the CSP allows
 * none inline, and hydration adds the handlers), and no filled-in field (nothing of the user's is known
 * at build time; a value here would be one baked into every copy of the extension).
 */
export function checkMarkup(markup: string): string {
  const problems = [
    /<script/i.test(markup) && 'a script',
    /\son[a-z]+=/i.test(markup) && 'an inline event handler',
    /<input[^>]*\svalue="[^"]/i.test(markup) && 'a filled-in field',
    !/<form[\s>]/.test(markup) && 'no form',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`prerender-popup: the popup's markup has ${problems.join(', ')}`);
  return markup;
}

export function prerenderPopup() {
  let markup: string | undefined;
  return {
    /** For WXT's `build:before` hook: renders the form once per build, before the pages are bundled. */
    async render(wxt: Wxt): Promise<void> {
      const module = fileURLToPath(new URL('./popup-markup.ts', import.meta.url));
      const { render } = await wxt.builder.importEntrypoint<{ render(): string }>(module);
      markup = checkMarkup(render());
    },
    plugin: {
      name: 'signus:prerender-popup',
      transformIndexHtml: {
        order: 'pre',
        handler(html, { filename }) {
          if (!/[\\/]entrypoints[\\/]popup[\\/]index\.html$/.test(filename)) return undefined;
          if (markup === undefined) throw new Error('prerender-popup: the form was not rendered (build:before hook)');
          if (!html.includes(MOUNT)) throw new Error(`prerender-popup: ${MOUNT} not found in ${filename}`);
          return html.replace(MOUNT, `<div id="app">${markup}</div>`);
        },
      },
    } satisfies HtmlPlugin,
  };
}
