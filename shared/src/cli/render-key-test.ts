import { VERDICT_LABELS, type KeyTestResult } from '../index.js';
import { painter } from './io.js';
import { terminalSafe } from './terminal-text.js';

export interface RenderOptions {
  curl: string;
  revealed: boolean;
  color: boolean;
}

/**
 * The key test as the app's dialog shows it: status, time, verdict and hint, body preview, cURL.
 * Whatever the server chose (status text, body, a host in a hint) goes through `terminalSafe`.
 */
export function renderKeyTest(result: KeyTestResult, options: RenderOptions): string {
  const paint = painter(options.color);
  const ok = result.verdictClass === 'ok';
  const tone = ok ? 'green' : result.verdictClass === 'rejected' ? 'red' : 'yellow';
  const mark = ok ? '✓' : '✗';
  const status =
    result.status !== undefined
      ? `${result.status}${result.statusText ? ` ${terminalSafe(result.statusText)}` : ''}`
      : 'no answer';
  const lines: string[] = [];
  lines.push(
    `${paint(['bold', tone], `${mark} ${VERDICT_LABELS[result.verdict]}`)}  ${status} · ${result.durationMs} ms`,
    `  ${terminalSafe(result.hint)}`,
    '',
    paint(
      'dim',
      terminalSafe(
        `  Key ${result.request.maskedSecret} · account ${result.request.accountId} · ${result.request.baseUrl}`,
      ),
    ),
  );
  if (result.body !== '' || result.status !== undefined) {
    const size = result.formattedChars;
    const heading = result.truncated
      ? `Response (first 800 of ${size.toLocaleString('en-US')} characters${result.isJson ? ', JSON' : ''}):`
      : `Response${result.isJson ? ' (JSON)' : ''}:`;
    lines.push('', paint('bold', heading));
    lines.push(result.body === '' ? paint('dim', '  (empty body)') : indent(terminalSafe(result.preview)));
    if (result.truncated) lines.push(paint('dim', '  … cut here; --json prints the whole body.'));
    if (result.bodyOverCap)
      lines.push(
        paint(
          'yellow',
          `  The body was larger than the ${result.bodyBytes.toLocaleString('en-US')}-byte cap and was not read further.`,
        ),
      );
  }
  lines.push(
    '',
    paint(
      'bold',
      options.revealed
        ? 'cURL (exact, contains the full key):'
        : 'cURL (key masked; --show-secret prints the exact command):',
    ),
  );
  lines.push(`  ${terminalSafe(options.curl)}`, '');
  return `${lines.join('\n')}\n`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
