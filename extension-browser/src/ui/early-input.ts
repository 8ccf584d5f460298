import type { EarlyInput } from './Popup.js';

/**
 * What the user changed in popup.html's prerendered form before the script that hydrates it ran: a key
 * pasted the instant the popup opened is in the field, not yet in the component. Hydrating keeps the
 * elements as they are, but the next render would set them back to the component's values.
 */
export function readEarlyInput(root: ParentNode): EarlyInput {
  const early: EarlyInput = {};
  const changed = (selector: string) => {
    const input = root.querySelector<HTMLInputElement>(selector);
    return input && input.value !== input.defaultValue ? input.value : undefined;
  };
  const key = changed('#api-key');
  const account = changed('#account-id');
  const custom = changed('#base-url');
  if (key !== undefined) early.key = key;
  if (account !== undefined) early.account = account;
  if (custom !== undefined) early.custom = custom;
  const environment = root.querySelector<HTMLSelectElement>('#environment');
  const prerendered = environment?.querySelector<HTMLOptionElement>('option[selected]') ?? environment?.options[0];
  if (environment && environment.value !== prerendered?.value) early.environment = environment.value;
  const remember = root.querySelector<HTMLInputElement>('form input[type="checkbox"]');
  if (remember && remember.checked !== remember.defaultChecked) early.remember = remember.checked;
  return early;
}
