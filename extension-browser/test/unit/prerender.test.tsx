import { hydrate, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import popupMarkup from '../../scripts/popup-markup.js';
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
