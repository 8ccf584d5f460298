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
    // Nothing to open without a body, no headers table without headers, no answer line.
    expect(html).toContain('id="open-body" class="secondary" disabled');
    expect(html).not.toContain('id="headers"');
    expect(html).not.toContain('id="answer"');
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

  it('shows the answer in one line, the response headers (escaped) and the way to open the whole body', async () => {
    const body = JSON.stringify({ payload: { thisPageItems: [], totalNumber: 12, lastPageIndex: 0 } });
    const result = await testApiKey({
      secret: SECRET,
      accountId: ACCOUNT,
      baseUrl: 'http://127.0.0.1:9',
      fetch: async () =>
        new Response(body, {
          status: 200,
          headers: {
            'content-type': 'application/json',
            'x-request-id': `req_<i>_${SECRET}`,
            'x-ratelimit-remaining': '99',
          },
        }),
    });
    const html = renderResult(presentKeyTest(result), ctx);
    expect(html).toContain('<p id="answer">12 templates visible to this key</p>');
    expect(html).toMatch(/<table id="headers"[^>]*>.*x-request-id.*req_&lt;i&gt;_/s);
    expect(html).toContain('<code>x-ratelimit-remaining</code></th><td><code>99</code>');
    expect(html).toMatch(/<button id="open-body" class="secondary" >Open full body in an editor/);
    // A key a hostile server echoes in a header is redacted before it reaches the page.
    expect(html).not.toContain(SECRET);
  });

  it('lists the key’s earlier tests, newest first, and gives Run again its focus back', async () => {
    const result = await testApiKey({ secret: SECRET, accountId: ACCOUNT, fetch: respond(401, '{}') });
    const history = [
      {
        testedAt: '2026-12-02T10:00:00Z',
        summary: 'Unauthorized (HTTP 401)',
        timing: '12 ms',
        tone: 'rejected',
        baseUrl: 'https://a.test',
      },
      {
        testedAt: '2026-12-01T10:00:00Z',
        summary: 'Valid <b>(HTTP 200)',
        timing: '9 ms',
        tone: 'ok',
        baseUrl: 'https://a.test',
      },
    ] as const;
    const html = renderResult(presentKeyTest(result), { ...ctx, history, focus: 'rerun' });
    expect(html).toMatch(
      /<ol id="history"[^>]*><li class="rejected">.*Unauthorized \(HTTP 401\).*<\/li><li class="ok">.*Valid &lt;b&gt;/s,
    );
    expect(html).toContain('document.getElementById("rerun")?.focus();');
    // One test is not a history; without a focus request nothing steals the focus.
    const single = renderResult(presentKeyTest(result), { ...ctx, history: history.slice(0, 1) });
    expect(single).not.toContain('id="history"');
    expect(single).not.toContain('.focus()');
  });

  it('has borders that High Contrast themes draw (contrastBorder) and a visible keyboard focus', async () => {
    const result = await testApiKey({ secret: SECRET, accountId: ACCOUNT, fetch: respond(200, '{}') });
    const html = renderResult(presentKeyTest(result), ctx);
    expect(html).toMatch(/\.verdict \{[^}]*var\(--vscode-contrastBorder/);
    expect(html).toMatch(/button \{[^}]*border: 1px solid var\(--vscode-button-border, var\(--vscode-contrastBorder/);
    expect(html).toMatch(/button:focus-visible[^{]*\{[^}]*var\(--vscode-focusBorder\)/);
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
