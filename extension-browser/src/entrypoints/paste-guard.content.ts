import { maskSecret } from '@signus/shared';
import browser from 'webextension-polyfill';
import { defineContentScript } from 'wxt/utils/define-content-script';
import {
  FINGERPRINTS_KEY,
  fingerprint,
  fingerprintCandidate,
  keyShapedIn,
  PLACEHOLDER,
  TEST_KEY_MESSAGE,
} from '../lib/paste-guard.js';

/**
 * The paste guard, in the pages of the sites the user turned it on for (registered at runtime for those
 * origins only: src/lib/paste-guard-registration.ts; every frame, so editors in iframes too). It stops a
 * Signus key being pasted or typed into an input, a textarea or a rich-text editor, and asks what to do.
 * It reads only what is pasted or typed into the field, sends nothing to any server and keeps nothing: the
 * key goes to the extension only when the user chooses to test it in the popup.
 */
export default defineContentScript({
  registration: 'runtime',
  matches: [],
  allFrames: true,
  main() {
    installGuard();
  },
});

type Editable = HTMLInputElement | HTMLTextAreaElement | HTMLElement;

function editableOf(target: EventTarget | null): Editable | undefined {
  if (!(target instanceof Element)) return undefined;
  if (target instanceof HTMLTextAreaElement) return target;
  if (target instanceof HTMLInputElement)
    return /^(text|search|url|email|password|tel|)$/.test(target.type) ? target : undefined;
  const host = target.closest('[contenteditable=""], [contenteditable="true"], [contenteditable="plaintext-only"]');
  return host instanceof HTMLElement ? host : undefined;
}

const isField = (el: Editable): el is HTMLInputElement | HTMLTextAreaElement =>
  el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;

function textOf(el: Editable): string {
  return isField(el) ? el.value : el.innerText;
}

/** Inserts text where the caret is, as typing would (so the page's own editor sees an input event). */
function insert(el: Editable, text: string): void {
  el.focus();
  if (!document.execCommand('insertText', false, text) && isField(el)) {
    el.setRangeText(text, el.selectionStart ?? el.value.length, el.selectionEnd ?? el.value.length, 'end');
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

/** Replaces the key where it stands in the field (typed input), or removes it. */
function replaceIn(el: Editable, key: string, by: string): void {
  if (isField(el)) {
    el.value = el.value.split(key).join(by);
  } else {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeValue?.includes(key)) node.nodeValue = node.nodeValue.split(key).join(by);
    }
  }
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

interface Warning {
  key: string;
  field: Editable;
  /** Pasted (the key is not in the field yet) or typed (it is). */
  how: 'pasted' | 'typed';
}

function installGuard(): void {
  let fingerprints = new Set<string>();
  const loadFingerprints = async () => {
    const stored = await browser.storage.local.get(FINGERPRINTS_KEY);
    fingerprints = new Set((stored[FINGERPRINTS_KEY] as string[] | undefined) ?? []);
  };
  void loadFingerprints();
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && FINGERPRINTS_KEY in changes) void loadFingerprints();
  });
  /** Keys the user pasted anyway in this page: not asked about again. */
  const allowed = new Set<string>();
  /** Fields the user left a typed key in: not asked about again as the typing goes on. */
  const allowedFields = new WeakSet<Editable>();
  let open: HTMLElement | undefined;

  const warn = ({ key, field, how }: Warning) => {
    open?.remove();
    const host = document.createElement('signus-paste-guard');
    // Open, so assistive technology and tests see inside; the buttons take only trusted clicks.
    const root = host.attachShadow({ mode: 'open' });
    // Styles as properties, not a <style> element: a page's Content-Security-Policy may forbid inline styles.
    Object.assign(host.style, {
      position: 'fixed',
      inset: '12px 12px auto auto',
      zIndex: '2147483647',
      maxWidth: '380px',
    });
    const box = document.createElement('div');
    box.setAttribute('role', 'alertdialog');
    box.setAttribute('aria-labelledby', 'title');
    box.setAttribute('aria-describedby', 'what');
    Object.assign(box.style, {
      font: '14px/1.4 system-ui, sans-serif',
      color: '#1a1a1a',
      background: '#fff8e1',
      border: '2px solid #8a5a00',
      borderRadius: '8px',
      padding: '12px 14px',
      boxShadow: '0 4px 16px rgba(0,0,0,.25)',
    });
    const title = document.createElement('strong');
    title.id = 'title';
    title.textContent = 'Signus: this is an API key';
    const what = document.createElement('p');
    what.id = 'what';
    what.style.margin = '6px 0 10px';
    what.textContent = `${how === 'pasted' ? 'You are pasting' : 'You typed'} ${maskSecret(key)} into ${location.host}. Anyone who can read this page may use it.`;
    const actions = document.createElement('div');
    Object.assign(actions.style, { display: 'flex', flexWrap: 'wrap', gap: '6px' });
    const button = (label: string, onClick: () => void) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      Object.assign(b.style, { font: 'inherit', padding: '4px 10px', cursor: 'pointer' });
      b.addEventListener('click', (event) => {
        // The page's own scripts can reach these buttons: only a person's click counts.
        if (!event.isTrusted) return;
        close();
        onClick();
      });
      actions.append(b);
      return b;
    };
    const close = () => {
      host.remove();
      if (open === host) open = undefined;
    };
    const first = button(how === 'pasted' ? 'Paste anyway (once)' : 'Leave it (once)', () => {
      if (how === 'typed') return allowedFields.add(field);
      allowed.add(key);
      insert(field, key);
    });
    button(how === 'pasted' ? 'Paste a placeholder' : 'Replace with a placeholder', () => {
      if (how === 'pasted') insert(field, PLACEHOLDER);
      else replaceIn(field, key, PLACEHOLDER);
    });
    button('Test this key in the popup instead', () => {
      if (how === 'typed') replaceIn(field, key, '');
      void browser.runtime.sendMessage({ type: TEST_KEY_MESSAGE, key });
    });
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        close();
        field.focus();
      }
    });
    box.append(title, what, actions);
    root.append(box);
    document.documentElement.append(host);
    open = host;
    // A paste is stopped, so the warning takes the focus; typing goes on into the field while it shows.
    if (how === 'pasted') first.focus();
  };

  document.addEventListener(
    'paste',
    (event) => {
      const field = editableOf(event.target);
      const text = event.clipboardData?.getData('text/plain') ?? '';
      if (!field || text === '') return;
      const key = keyShapedIn(text);
      if (key !== undefined) {
        if (allowed.has(key)) return;
        event.preventDefault();
        event.stopImmediatePropagation();
        warn({ key, field, how: 'pasted' });
        return;
      }
      // A tested key of another shape is known only by its fingerprint, which takes a moment to compute:
      // the paste waits for it, and goes in unchanged when it is not a tested key.
      const candidate = fingerprints.size > 0 && crypto.subtle ? fingerprintCandidate(text) : undefined;
      if (candidate === undefined || allowed.has(candidate)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      void fingerprint(candidate).then((print) => {
        if (fingerprints.has(print)) warn({ key: candidate, field, how: 'pasted' });
        else insert(field, text);
      });
    },
    true,
  );

  document.addEventListener(
    'input',
    (event) => {
      if (!event.isTrusted) return;
      const field = editableOf(event.target);
      if (!field) return;
      const key = keyShapedIn(textOf(field));
      if (key === undefined || allowed.has(key) || allowedFields.has(field)) return;
      warn({ key, field, how: 'typed' });
    },
    true,
  );
}
