import { hydrate, render } from 'preact';
import { act } from 'preact/test-utils';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import popupMarkup from '../../scripts/popup-markup.js';
import { BOOT_TAG, bootScript, lateHydration } from '../../scripts/late-hydration.js';
import { checkMarkup } from '../../scripts/prerender-popup.js';
import { DEFAULT_SETTINGS } from '../../src/lib/settings.js';
import { readEarlyInput } from '../../src/ui/early-input.js';
import { Popup, type PopupState } from '../../src/ui/Popup.js';
import { ACCOUNT_ID, FAKE_KEY, fakePlatform } from './fake-platform.js';

const markup = popupMarkup.render();
let root: HTMLElement | undefined;

afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  root = undefined;
});

/** popup.html as the browser has it before any script: the prerendered form in #app. */
function prerenderedPage(): HTMLElement {
  root = document.createElement('div');
  root.id = 'app';
  root.append(new DOMParser().parseFromString(markup, 'text/html').body.firstElementChild!);
  document.body.append(root);
  return root;
}

/** The elements of a tree, in order, as tag#id.class: what hydrating must find where it expects it. */
const shape = (node: Element): string[] =>
  [node, ...node.querySelectorAll('*')].map((el) => `${el.tagName}#${el.id}.${el.getAttribute('class') ?? ''}`);

const stored: PopupState = {
  settings: { ...DEFAULT_SETTINGS, accountId: ACCOUNT_ID, selectedEnvironment: 'emulator' },
  history: [],
  rememberedKey: FAKE_KEY,
};

describe("popup.html's prerendered form", () => {
  it('holds the form and nothing of the user’s: no key, no account, no script, no inline handler', () => {
    expect(checkMarkup(markup)).toBe(markup);
    expect(markup).toContain('aria-busy="true"');
    expect(markup).not.toMatch(/sk_[A-Za-z0-9]{8}/);
    // The same every time: nothing of the machine or the moment that built it.
    expect(popupMarkup.render()).toBe(markup);
    for (const bad of ['<script>x</script>', '<button onclick="x()">', '<input id="api-key" value="sk_test_1">'])
      expect(() => checkMarkup(markup.replace('<main', `${bad}<main`))).toThrow();
  });

  it('is what the component renders: hydrating keeps every element and changes nothing on screen', async () => {
    const client = document.createElement('div');
    render(<Popup platform={fakePlatform()} />, client);
    const page = prerenderedPage();
    expect(shape(page.firstElementChild!)).toEqual(shape(client.firstElementChild!));
    expect(page.textContent).toBe(client.textContent);
    render(null, client);

    const keyInput = page.querySelector('#api-key');
    const before = page.innerHTML;
    await act(() => hydrate(<Popup platform={fakePlatform()} early={readEarlyInput(page)} />, page));
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(page.innerHTML).toBe(before);
    expect(page.querySelector('#api-key')).toBe(keyInput);
    expect(document.activeElement).toBe(keyInput);
  });

  it('keeps what was typed before the script ran, and storage fills in only the rest', async () => {
    const page = prerenderedPage();
    const typed = 'sk_test_TYPEDBEFOREHYDRATION0000000';
    page.querySelector<HTMLInputElement>('#api-key')!.value = typed;
    const early = readEarlyInput(page);
    expect(early).toEqual({ key: typed });
    const platform = fakePlatform();
    await act(() => hydrate(<Popup platform={platform} early={early} />, page));
    // What storage holds arrives (main.tsx renders again with it): a remembered key does not replace the typed one.
    await act(() => render(<Popup platform={platform} initial={stored} early={early} />, page));
    expect(page.querySelector<HTMLInputElement>('#api-key')!.value).toBe(typed);
    expect(page.querySelector<HTMLInputElement>('#account-id')!.value).toBe(ACCOUNT_ID);
    expect(page.querySelector<HTMLSelectElement>('#environment')!.value).toBe('emulator');
    expect(page.querySelector('form')!.hasAttribute('aria-busy')).toBe(false);
  });
});

describe('popup.html starts its script after the first paint (popup-boot.js)', () => {
  const bootSource = readFileSync(
    join(dirname(fileURLToPath(import.meta.url)), '../../src/entrypoints/popup/boot.js'),
    'utf8',
  );
  const built = (module: string) =>
    `<head><script type="module" crossorigin src="${module}"></script><link rel="stylesheet" href="/a.css"></head>`;
  const filename = '/x/src/entrypoints/popup/index.html';

  it('puts the boot script in place of the built module tag, naming the module in it, or fails the build', () => {
    const plugin = lateHydration('chrome');
    const emitted: { fileName: string; source: string }[] = [];
    expect(plugin.transformIndexHtml.handler(built('/chunks/popup-AbC_1.js'), { filename })).toBe(
      `<head>${BOOT_TAG}<link rel="stylesheet" href="/a.css"></head>`,
    );
    plugin.generateBundle.call({ emitFile: (file) => (emitted.push(file), file.fileName) });
    expect(emitted.map((f) => f.fileName)).toEqual(['popup-boot.js']);
    expect(emitted[0]!.source).toContain("import('/chunks/popup-AbC_1.js')");
    expect(emitted[0]!.source).not.toContain("POPUP_MODULE'");
    expect(emitted[0]!.source).toContain('var framesDecide = false;');
    expect(bootScript('/chunks/popup-x.js', true)).toContain('var framesDecide = true;');

    const fresh = lateHydration('chrome');
    expect(() => fresh.transformIndexHtml.handler('<script src="/chunks/popup-x.js"></script>', { filename })).toThrow(
      /not found/,
    );
    expect(() =>
      fresh.transformIndexHtml.handler(built('/chunks/popup-a.js') + built('/chunks/popup-b.js'), { filename }),
    ).toThrow(/more than one/);
    expect(fresh.transformIndexHtml.handler(built('/c.js'), { filename: '/x/options/index.html' })).toBe(undefined);
    expect(() => bootScript("/chunks/x.js'); alert(1); ('", false)).toThrow(/unexpected module path/);
  });

  it('holds a submit made before the script ran (no reload), until the script releases it', () => {
    const form = document.createElement('form');
    document.body.append(form);
    // Run as the browser would; the module it starts is not there in this test (its import fails, and says so).
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    new Function(bootScript('/chunks/popup-none.js', false, bootSource))();
    const boot = window.signusBoot!;
    const early = new Event('submit', { cancelable: true, bubbles: true });
    form.dispatchEvent(early);
    expect(early.defaultPrevented).toBe(true);
    expect(boot.submitted).toBe(true);
    boot.release();
    const later = new Event('submit', { cancelable: true, bubbles: true });
    form.dispatchEvent(later);
    expect(later.defaultPrevented).toBe(false);
    form.remove();
    delete window.signusBoot;
    logged.mockRestore();
  });

  it('runs the held test once storage is read, with the stored account and environment', async () => {
    const page = prerenderedPage();
    page.querySelector<HTMLInputElement>('#api-key')!.value = FAKE_KEY;
    const early = readEarlyInput(page);
    const platform = fakePlatform();
    await act(() => hydrate(<Popup platform={platform} early={early} />, page));
    expect(platform.fetches).toHaveLength(0);
    await act(() => render(<Popup platform={platform} initial={stored} early={early} submittedEarly />, page));
    await vi.waitFor(() => expect(platform.fetches).toHaveLength(1));
    expect(platform.fetches[0]!.url).toContain('127.0.0.1:4010');
  });
});
