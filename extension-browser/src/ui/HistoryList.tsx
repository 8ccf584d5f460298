import { VERDICT_LABELS, verdictClass } from '@signus/shared';
import type { HistoryEntry } from '../lib/settings.js';

export function HistoryList({ entries }: { entries: HistoryEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <details class="history">
      <summary>Recent tests ({entries.length})</summary>
      <ul aria-label="Recent tests">
        {entries.map((entry) => (
          <li key={entry.testedAt}>
            <span class={`dot ${verdictClass(entry.verdict)}`} aria-hidden="true" />
            <code>{entry.maskedSecret}</code>
            <span>
              {entry.status ?? '—'} {VERDICT_LABELS[entry.verdict]}
            </span>
            <span class="muted">{entry.durationMs} ms</span>
            <time class="muted" dateTime={entry.testedAt} title={entry.testedAt}>
              {formatWhen(entry.testedAt)}
            </time>
          </li>
        ))}
      </ul>
    </details>
  );
}

function formatWhen(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString([], { month: 'short', day: 'numeric' });
}
