import { VERDICT_LABELS, verdictClass } from '@signus/shared';
import type { Environment, HistoryEntry } from '../lib/settings.js';

interface Props {
  entries: HistoryEntry[];
  /** To name the server of an entry as the picker does. */
  environments: Environment[];
  onRerun: (entry: HistoryEntry) => void;
}

export function HistoryList({ entries, environments, onRerun }: Props) {
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
            <button
              type="button"
              class="link"
              aria-label={`Test ${entry.maskedSecret} again on ${environments.find((e) => e.baseUrl === entry.baseUrl)?.name ?? entry.baseUrl}`}
              onClick={() => onRerun(entry)}
            >
              Again
            </button>
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
