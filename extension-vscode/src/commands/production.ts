// A production key reaches live data: copying it or sending it asks first, in a modal.
import { isProduction, type KeyRecord } from '../keys/model.js';
import { askModal } from './modal.js';

export type GuardedAction = 'copySecret' | 'copyCurl' | 'test';

const ASK: Record<GuardedAction, { question: (name: string) => string; detail: string; button: string }> = {
  copySecret: {
    question: (name) => `"${name}" is a production key. Copy its secret to the clipboard?`,
    detail:
      'Anyone who gets it can read and send documents in your live Signus account. Paste it only where it is kept secret.',
    button: 'Copy Secret',
  },
  copyCurl: {
    question: (name) => `"${name}" is a production key. Copy the cURL command with the key in it?`,
    detail: 'The command holds the live key. Run it, do not paste it into chats, tickets or shared notes.',
    button: 'Copy cURL',
  },
  test: {
    question: (name) => `"${name}" is a production key. Send it to the live Signus API to test it?`,
    detail: 'The test sends one request that lists templates; nothing in the account changes.',
    button: 'Test',
  },
};

/** True when the action may go ahead: not a production key, the caller said `confirm: true`, or the user agreed. */
export async function confirmProduction(
  record: Pick<KeyRecord, 'name' | 'baseUrl'>,
  action: GuardedAction,
  arg?: unknown,
): Promise<boolean> {
  if (!isProduction(record)) return true;
  if (typeof arg === 'object' && arg !== null && (arg as { confirm?: unknown }).confirm === true) return true;
  const ask = ASK[action];
  return (await askModal(ask.question(record.name), ask.detail, ask.button)) === ask.button;
}
