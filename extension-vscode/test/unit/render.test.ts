import { describe, expect, it } from 'vitest';
import { presentKeyTest, testApiKey } from '@signus/shared';
import { contentSecurityPolicy, escapeHtml, renderResult, renderRunning } from '../../src/panel/render.js';

const SECRET = 'sk_FAKE_0123456789abcdefghijKLMN';
const ACCOUNT = '123e4567-e89b-12d3-a456-426614174000';
const ctx = { nonce: 'TESTNONCE', cspSource: 'vscode-webview://x', keyName: 'Staging <b>' };

function respond(status: number, body: string): typeof fetch {
  return async () => new Response(body, { status, headers: { 'content-type': 'application/json' } });
}

describe('the key-test panel HTML', () => {
  it('shows status, time, verdict and hint, a preview of the body, and a masked cURL', async () => {
    const body = JSON.stringify({
      payload: { thisPageItems: [], totalNumber: 0, lastPageIndex: 0, note: 'x'.repeat(900), echo: SECRET },
    });
    const result = await testApiKey({
      secret: SECRET,
      accountId: ACCOUNT,
      baseUrl: 'http://127.0.0.1:9',
      fetch: respond(200, body),
    });
    const html = renderResult(presentKeyTest(result), ctx);
    expect(html).toContain('<dd id="status">200');
    expect(html).toMatch(/<dd id="duration">\d+ ms<\/dd>/);
    expect(html).toContain('<strong id="verdict">Valid</strong>');
    expect(html).toMatch(/First 800 of [\d,]+ characters\./);
    expect(html).toContain('sk_••••••••KLMN');
    expect(html).toContain('“Staging &lt;b&gt;”');
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain('<b>”');
  });

  it('renders a failure without a status and with the verdict’s hint', async () => {
    const result = await testApiKey({
      secret: SECRET,
      accountId: ACCOUNT,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const html = renderResult(presentKeyTest(result), ctx);
    expect(html).toContain('<dd id="status">No answer</dd>');
    expect(html).toContain('class="verdict no_answer"');
    expect(html).toContain('<p class="muted">No answer.</p>');
    expect(html).toContain('id="copy-json" disabled');
  });

  it('has a strict content-security policy: no remote anything, scripts only with the nonce', () => {
    const csp = contentSecurityPolicy(ctx);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'nonce-TESTNONCE'");
    expect(csp).not.toMatch(/unsafe|https?:/);
    const html = renderRunning(ctx, 'a "key"');
    expect(html).toContain('<script nonce="TESTNONCE">');
    expect(html).toContain('Testing a &quot;key&quot;…');
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
