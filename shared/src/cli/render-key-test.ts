import type { KeyTestView } from '../index.js';
import { painter } from './io.js';
import { terminalSafe } from './terminal-text.js';

export interface RenderOptions {
  curl: string;
  revealed: boolean;
  color: boolean;
}

const TONES = { ok: 'green', rejected: 'red', no_answer: 'yellow' } as const;

/**
 * The core's presentation of a key test, laid out for a terminal: verdict and status, hint, body preview,
 * cURL. Whatever the server chose (status text, body, a host in a hint) goes through `terminalSafe`.
 */
export function renderKeyTest(view: KeyTestView, options: RenderOptions): string {
  const paint = painter(options.color);
  const mark = view.tone === 'ok' ? '✓' : '✗';
  const lines: string[] = [
    `${paint(['bold', TONES[view.tone]], `${mark} ${view.headline}`)}  ${terminalSafe(view.statusLine)} · ${view.timing}`,
    `  ${terminalSafe(view.hint)}`,
  ];
  if (view.answer) lines.push(`  ${view.answer}`);
  if (view.retryAfter) lines.push(`  ${view.retryAfter}`);
  lines.push(
    '',
    paint(
      'dim',
      terminalSafe(`  Key ${view.request.maskedSecret} · account ${view.request.accountId} · ${view.request.baseUrl}`),
    ),
  );
  for (const header of view.headers) lines.push(paint('dim', terminalSafe(`  ${header.name}: ${header.value}`)));
  const response = view.response;
  if (response) {
    lines.push('', paint('bold', `${response.heading}:`));
    lines.push(response.emptyNote ? paint('dim', `  ${response.emptyNote}`) : indent(terminalSafe(response.preview)));
    if (response.truncatedNote) lines.push(paint('dim', `  … ${response.truncatedNote} --json prints the whole body.`));
    if (response.overCapNote) lines.push(paint('yellow', `  ${response.overCapNote}`));
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
