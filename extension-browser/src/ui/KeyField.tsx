import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import { FieldMessage } from './FieldMessage.js';

interface Props {
  value: string;
  onInput: (value: string) => void;
  /** Returns true when it took the pasted text (normalised) in place of the browser's own paste. */
  onPaste: (pasted: string) => boolean;
  onBlur: () => void;
  /** What is wrong with the key, shown inline once the field was left or a test was tried. */
  problem?: string;
  /** What normalising the pasted text removed, e.g. "Bearer prefix". */
  note?: string;
  inputRef: Ref<HTMLInputElement>;
}

export function KeyField({ value, onInput, onPaste, onBlur, problem, note, inputRef }: Props) {
  const [visible, setVisible] = useState(false);
  // Preact's input types tie `type` to the other attributes; text and password accept the same ones.
  const inputType = (visible ? 'text' : 'password') as 'text';
  const message = problem ?? note;
  return (
    <div class="field">
      <label for="api-key">API key</label>
      <div class="with-button">
        <input
          id="api-key"
          ref={inputRef}
          // In popup.html's prerendered form: the field has the focus in the first frame, before any script.
          autofocus
          type={inputType}
          value={value}
          placeholder="sk_…"
          autocomplete="off"
          spellcheck={false}
          aria-invalid={problem ? 'true' : 'false'}
          aria-describedby={message ? 'key-message' : undefined}
          onInput={(e) => onInput(e.currentTarget.value)}
          onPaste={(e) => {
            const pasted = e.clipboardData?.getData('text') ?? '';
            if (pasted !== '' && onPaste(pasted)) e.preventDefault();
          }}
          onBlur={onBlur}
        />
        <button
          type="button"
          class="icon"
          aria-label={visible ? 'Hide key' : 'Show key'}
          aria-pressed={visible}
          title={visible ? 'Hide key' : 'Show key'}
          onClick={() => setVisible(!visible)}
        >
          <EyeIcon crossed={visible} />
        </button>
      </div>
      <FieldMessage id="key-message" text={message} kind={problem ? 'error' : 'note'} />
    </div>
  );
}

function EyeIcon({ crossed }: { crossed: boolean }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
    >
      <path d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z" />
      <circle cx="12" cy="12" r="3" />
      {crossed ? <path d="M3 3l18 18" /> : null}
    </svg>
  );
}
