import { describe, expect, it } from 'vitest';
import { presentKeyTest, testApiKey } from '@signus/shared';
import { assertForRandomEchoes, ATTACKS, findKeyLeak, hostileFetch } from '@signus/test/hostile';
import { renderResult } from '../../src/panel/render.js';

const KEY = 'sk_FAKE_hostile_panel_0123456789abcdefWXYZ';
const ACCOUNT = '123e4567-e89b-12d3-a456-426614174000';
const ctx = { nonce: 'N', cspSource: 'vscode-webview://x', keyName: 'Staging' };

/** What the webview shows: the HTML as it is, and its text with the entities escapeHtml writes decoded. */
function expectNoLeak(html: string, secret: string): void {
  const text = html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  expect(findKeyLeak(html, secret)).toBeUndefined();
  expect(findKeyLeak(text, secret)).toBeUndefined();
}

async function panelFor(secret: string, fetch: ReturnType<typeof hostileFetch>): Promise<string> {
  const result = await testApiKey({ secret, accountId: ACCOUNT, baseUrl: 'http://127.0.0.1:9', fetch });
  return renderResult(presentKeyTest(result), ctx);
}

describe('the key-test panel against a hostile server', () => {
  it.each(ATTACKS.map((a) => [a.name, a] as const))('%s', async (_name, attack) => {
    expectNoLeak(await panelFor(KEY, hostileFetch(attack.answer)), KEY);
  });

  it('property: no run of 8 characters of a random key, whatever the echo', async () => {
    await assertForRandomEchoes(
      async (secret, answer) =>
        expectNoLeak(
          await panelFor(
            secret,
            hostileFetch(() => answer),
          ),
          secret,
        ),
      200,
    );
  });
});
