import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { testApiKey } from '@signus/shared';
import { assertForRandomEchoes, ATTACKS, findKeyLeak, hostileFetch } from '@signus/test/hostile';
import { loadTester } from '../../src/lib/load-tester.js';
import { ResultPanel } from '../../src/ui/ResultPanel.js';

const KEY = 'sk_FAKE_hostile_popup_0123456789abcdefWXYZ';
const ACCOUNT = '123e4567-e89b-12d3-a456-426614174000';

afterEach(cleanup);

/** The popup's result as rendered, its DOM text and markup, and what "Copy full JSON/body" copies. */
async function expectNoLeakInPopup(secret: string, fetch: ReturnType<typeof hostileFetch>): Promise<void> {
  const result = await testApiKey({ secret, accountId: ACCOUNT, baseUrl: 'http://127.0.0.1:9', fetch });
  const copied: string[] = [];
  const view = render(
    <ResultPanel
      phase={{ kind: 'result', result, secret, tester: await loadTester() }}
      writeClipboard={async (text) => void copied.push(text)}
    />,
  );
  expect(findKeyLeak(view.container.textContent ?? '', secret)).toBeUndefined();
  expect(findKeyLeak(view.container.innerHTML, secret)).toBeUndefined();
  const copy = screen.queryByRole('button', { name: /^Copy full / });
  if (copy) {
    fireEvent.click(copy);
    await waitFor(() => expect(copied).toHaveLength(1));
    expect(findKeyLeak(copied[0]!, secret)).toBeUndefined();
  }
  cleanup();
}

describe('the popup against a hostile server', () => {
  it.each(ATTACKS.map((a) => [a.name, a] as const))('%s', async (_name, attack) => {
    await expectNoLeakInPopup(KEY, hostileFetch(attack.answer));
  });

  it('property: no run of 8 characters of a random key, whatever the echo', async () => {
    await assertForRandomEchoes(
      (secret, answer) =>
        expectNoLeakInPopup(
          secret,
          hostileFetch(() => answer),
        ),
      100,
    );
    // 100 renders: about 3 s on a quiet machine; a correctness check, so a loaded one gets room.
  }, 30_000);
});
