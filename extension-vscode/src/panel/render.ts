// The key-test panel's HTML, as the app's dialog shows a result. Pure: unit-tested.
import { NO_ANSWER, type KeyTestView } from '@signus/shared';
import { PANEL_BUTTONS } from './messages.js';
import type { TestHistoryEntry } from './test-history.js';

export interface PanelContext {
  nonce: string;
  cspSource: string;
  /** The stored key's name, or undefined for a pasted key. */
  keyName?: string;
  /** The button that had the focus before the page was replaced (Run again): it gets it back. */
  focus?: 'rerun';
  /** Earlier tests of a stored key, newest first (this one included). */
  history?: readonly TestHistoryEntry[];
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export function contentSecurityPolicy(ctx: PanelContext): string {
  return [
    "default-src 'none'",
    `style-src ${ctx.cspSource} 'nonce-${ctx.nonce}'`,
    `script-src 'nonce-${ctx.nonce}'`,
    "img-src 'none'",
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function renderRunning(ctx: PanelContext, what: string): string {
  return page(ctx, `<p class="running" role="status"><span class="spinner"></span>Testing ${escapeHtml(what)}…</p>`);
}

/** The core's presentation of a key test, laid out as the app's dialog shows it. */
export function renderResult(view: KeyTestView, ctx: PanelContext): string {
  const who = ctx.keyName ? `“${ctx.keyName}” (${view.request.maskedSecret})` : view.request.maskedSecret;
  const response = view.response;
  const body = !response
    ? `<p class="muted">${escapeHtml(NO_ANSWER)}.</p>`
    : response.emptyNote
      ? `<p class="muted">${escapeHtml(response.emptyNote)}</p>`
      : `<pre id="body" class="code" tabindex="0">${escapeHtml(response.preview)}</pre>${
          response.truncatedNote ? `<p class="muted" id="truncated">${escapeHtml(response.truncatedNote)}</p>` : ''
        }${response.overCapNote ? `<p class="muted">${escapeHtml(response.overCapNote)}</p>` : ''}`;
  const retry = view.retryAfter ? `<p>${escapeHtml(view.retryAfter)}</p>` : '';
  const answer = view.answer ? `<p id="answer">${escapeHtml(view.answer)}</p>` : '';
  const copyLabel = response?.copy?.label ?? 'Copy full JSON';
  const copyable = response?.copy ? '' : 'disabled';
  return page(
    ctx,
    `<header>
  <h1>Key test</h1>
  <p class="muted">${escapeHtml(who)} · account <code>${escapeHtml(view.request.accountId)}</code> · ${escapeHtml(view.request.baseUrl)}</p>
</header>
<section class="verdict ${view.tone}" role="status" aria-live="polite">
  <strong id="verdict">${escapeHtml(view.headline)}</strong>
  ${answer}
  <p id="hint">${escapeHtml(view.hint)}</p>
  ${retry}
</section>
<dl class="facts">
  <div><dt>HTTP status</dt><dd id="status">${escapeHtml(view.statusLine)}</dd></div>
  <div><dt>Response time</dt><dd id="duration">${escapeHtml(view.timing)}</dd></div>
  <div><dt>Tested</dt><dd>${escapeHtml(new Date(view.testedAt).toLocaleString())}</dd></div>
</dl>
<h2>${escapeHtml(response?.heading ?? 'Response')}</h2>
${body}
<div class="actions">
  <button id="copy-json" ${copyable}>${escapeHtml(copyLabel)}</button>
  <button id="open-body" class="secondary" ${copyable}>Open full body in an editor</button>
</div>
${renderHeaders(view.headers)}
<h2>cURL</h2>
<pre id="curl" class="code" tabindex="0">${escapeHtml(view.curl.posix)}</pre>
<p class="muted">The key is masked here; the copy button copies the exact command.</p>
<div class="actions">
  <button id="copy-curl">Copy cURL</button>
  <button id="rerun" class="secondary">Run again</button>
</div>
${renderHistory(ctx.history)}`,
  );
}

/** The headers a person acts on (request id for support, rate limits), already redacted by the core. */
function renderHeaders(headers: KeyTestView['headers']): string {
  if (headers.length === 0) return '';
  const rows = headers
    .map(
      (h) =>
        `<tr><th scope="row"><code>${escapeHtml(h.name)}</code></th><td><code>${escapeHtml(h.value)}</code></td></tr>`,
    )
    .join('');
  return `<h2>Response headers</h2>\n<table id="headers" class="headers">${rows}</table>`;
}

function renderHistory(history: readonly TestHistoryEntry[] | undefined): string {
  if (!history || history.length < 2) return '';
  const items = history
    .map(
      (h) =>
        `<li class="${h.tone}"><span class="when">${escapeHtml(new Date(h.testedAt).toLocaleString())}</span> ` +
        `${escapeHtml(h.summary)} · ${escapeHtml(h.timing)} · ${escapeHtml(h.baseUrl)}</li>`,
    )
    .join('');
  return `<h2>Tests of this key</h2>\n<ol id="history" class="history">${items}</ol>`;
}

function page(ctx: PanelContext, content: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(ctx))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Signus key test</title>
<style nonce="${ctx.nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 20px 20px; max-width: 960px; }
  h1 { font-size: 1.4em; margin-bottom: 0.2em; }
  h2 { font-size: 1.05em; margin-top: 1.4em; }
  .muted { color: var(--vscode-descriptionForeground); }
  code, .code { font-family: var(--vscode-editor-font-family); }
  .code { background: var(--vscode-textCodeBlock-background); padding: 10px; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 340px; overflow: auto; }
  #body { max-height: 240px; }
  .verdict { border-left: 4px solid var(--vscode-descriptionForeground); padding: 6px 12px; margin: 12px 0; background: var(--vscode-editorWidget-background); outline: 1px solid var(--vscode-contrastBorder, transparent); }
  .verdict.ok { border-color: var(--vscode-testing-iconPassed); }
  .verdict.rejected { border-color: var(--vscode-testing-iconFailed); }
  .verdict.no_answer { border-color: var(--vscode-editorWarning-foreground); }
  .verdict strong { font-size: 1.2em; }
  .facts { display: flex; gap: 32px; margin: 0; }
  .facts dt { color: var(--vscode-descriptionForeground); }
  .facts dd { margin: 0; font-size: 1.2em; }
  .actions { display: flex; gap: 8px; margin-top: 8px; }
  button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: 1px solid var(--vscode-button-border, var(--vscode-contrastBorder, transparent)); padding: 6px 14px; border-radius: 2px; cursor: pointer; font-family: inherit; }
  button:focus-visible, .code:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
  .code { border: 1px solid var(--vscode-contrastBorder, transparent); }
  .headers { border-collapse: collapse; }
  .headers th, .headers td { text-align: left; padding: 2px 16px 2px 0; font-weight: normal; }
  .headers th { color: var(--vscode-descriptionForeground); }
  .history { padding-left: 1.4em; }
  .history li { margin: 2px 0; }
  .history .when { color: var(--vscode-descriptionForeground); }
  .history .rejected { color: var(--vscode-errorForeground); }
  .history .no_answer { color: var(--vscode-editorWarning-foreground); }
  button:hover { background: var(--vscode-button-hoverBackground); }
  button.secondary { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
  button:disabled { opacity: 0.5; cursor: default; }
  .running { display: flex; align-items: center; gap: 8px; margin-top: 20px; }
  .spinner { width: 14px; height: 14px; border: 2px solid var(--vscode-progressBar-background); border-top-color: transparent; border-radius: 50%; animation: spin 0.8s linear infinite; }
  @keyframes spin { to { transform: rotate(360deg); } }
</style>
</head>
<body>
${content}
<script nonce="${ctx.nonce}">
  const vscode = acquireVsCodeApi();
  for (const [id, type] of ${JSON.stringify(PANEL_BUTTONS)}) {
    document.getElementById(id)?.addEventListener('click', () => vscode.postMessage({ type }));
  }
  ${ctx.focus ? `document.getElementById(${JSON.stringify(ctx.focus)})?.focus();` : ''}
</script>
</body>
</html>`;
}
