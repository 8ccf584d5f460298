import { describe, expect, it } from 'vitest';
import { onMenuClick, type MenuDeps } from '../../src/lib/context-menu.js';

function deps(popupFails = false) {
  const calls: string[] = [];
  const fake: MenuDeps = {
    setPendingKey: async (text) => void calls.push(`pending:${text}`),
    openPopup: async () => {
      calls.push('popup');
      if (popupFails) throw new Error('openPopup is not allowed here');
    },
    openTesterWindow: async () => void calls.push('window'),
  };
  return { calls, fake };
}

describe('context menu "Test as Signus API key"', () => {
  it('hands the selection to the popup and opens it', async () => {
    const { calls, fake } = deps();
    await onMenuClick('  sk_FAKE_selected_0123456789abcd  ', fake);
    expect(calls).toEqual(['pending:sk_FAKE_selected_0123456789abcd', 'popup']);
  });

  it('opens the tester in a window where the popup cannot be opened', async () => {
    const { calls, fake } = deps(true);
    await onMenuClick('sk_FAKE_selected_0123456789abcd', fake);
    expect(calls).toEqual(['pending:sk_FAKE_selected_0123456789abcd', 'popup', 'window']);
  });

  it('does nothing for an empty selection', async () => {
    const { calls, fake } = deps();
    await onMenuClick('   ', fake);
    await onMenuClick(undefined, fake);
    expect(calls).toEqual([]);
  });
});
