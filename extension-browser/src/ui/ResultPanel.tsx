import { exactCurl, presentKeyTest, SHELLS, type KeyTestResult, type Shell } from '@signus/shared';
import { useEffect, useState } from 'preact/hooks';
import { CopyButton } from './CopyButton.js';

export type Phase =
  | { kind: 'idle' }
  | { kind: 'running'; cancel: () => void; waitingFor?: string }
  | { kind: 'result'; result: KeyTestResult; secret: string }
  | { kind: 'denied'; message: string };

interface Props {
  phase: Phase;
  writeClipboard: (text: string) => Promise<void>;
}

const SHELL_LABELS: Record<Shell, string> = { posix: 'bash', powershell: 'PowerShell', cmd: 'cmd' };

/** What the live region says for a phase: one sentence, replaced as the phase changes. */
export function announcement(phase: Phase): string {
  switch (phase.kind) {
    case 'idle':
      return '';
    case 'running':
      return phase.waitingFor ? `Waiting for permission to reach ${phase.waitingFor}.` : 'Testing the key.';
    case 'denied':
      return `Host permission needed. ${phase.message}`;
    case 'result': {
      const view = presentKeyTest(phase.result);
      return [`${view.headline}, ${view.statusLine}.`, view.hint, view.answer].filter(Boolean).join(' ');
    }
  }
}

/** Keeps the same size in every phase, so nothing below it moves when the result arrives. */
export function ResultPanel({ phase, writeClipboard }: Props) {
  return (
    <section class="result" aria-label="Result">
      {/* One live region, always there, whose text changes: screen readers announce an update reliably,
          an inserted region often not. Only this sentence is read out, never the JSON body. */}
      <p class="sr-only" role="status" aria-atomic="true">
        {announcement(phase)}
      </p>
      {phase.kind === 'idle' ? (
        <p class="placeholder">Paste a key and press Test (or Enter). The result shows here.</p>
      ) : phase.kind === 'running' ? (
        <div class="running">
          <span class="spinner" aria-hidden="true" />
          <span>{phase.waitingFor ? `Waiting for permission to reach ${phase.waitingFor}…` : 'Testing…'}</span>
          <button type="button" onClick={phase.cancel}>
            Cancel
          </button>
        </div>
      ) : phase.kind === 'denied' ? (
        <div class="outcome">
          <p class="status no_answer">Host permission needed</p>
          <p class="hint">{phase.message}</p>
        </div>
      ) : (
        <ResultView result={phase.result} secret={phase.secret} writeClipboard={writeClipboard} />
      )}
    </section>
  );
}

function ResultView({
  result,
  secret,
  writeClipboard,
}: {
  result: KeyTestResult;
  secret: string;
  writeClipboard: (text: string) => Promise<void>;
}) {
  const [shell, setShell] = useState<Shell>('posix');
  useEffect(() => {
    // For the benchmark: the moment the result is on screen, after the browser painted it.
    requestAnimationFrame(() => performance.mark('signus:result-painted'));
  }, [result]);
  const view = presentKeyTest(result);
  const response = view.response;
  return (
    <div class="outcome" data-verdict={view.verdict} data-cause={result.cause} data-duration-ms={result.durationMs}>
      <p class={`status ${view.tone}`}>
        <span class="badge">{view.statusLine}</span>
        {/* "401 Unauthorized Unauthorized" says nothing twice. */}
        {view.statusLine.toLowerCase() === `${result.status} ${view.headline}`.toLowerCase() ? null : (
          <span>{view.headline}</span>
        )}
        <span class="time">{view.timing}</span>
      </p>
      <p class="hint">{view.hint}</p>
      {view.answer ? <p class="answer">{view.answer}</p> : null}
      {view.retryAfter ? <p class="hint">{view.retryAfter}</p> : null}
      {view.headers.length > 0 ? (
        <dl class="headers" aria-label="Response headers">
          {view.headers.map((header) => (
            <div key={header.name}>
              <dt>{header.name}</dt>
              <dd>{header.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {response?.copy ? (
        <>
          <div class="row">
            <h2>{response.heading}</h2>
            <CopyButton label={response.copy.label} text={() => response.copy!.text} write={writeClipboard} />
          </div>
          <pre class="body" tabIndex={0} aria-label="Response body">
            {response.preview}
          </pre>
          {response.truncatedNote ? <p class="muted">{response.truncatedNote}</p> : null}
          {response.overCapNote ? <p class="muted">{response.overCapNote}</p> : null}
        </>
      ) : null}
      <div class="row">
        <h2>cURL</h2>
        <select aria-label="Shell" value={shell} onChange={(e) => setShell(e.currentTarget.value as Shell)}>
          {SHELLS.map((s) => (
            <option key={s} value={s}>
              {SHELL_LABELS[s]}
            </option>
          ))}
        </select>
        <CopyButton label="Copy cURL" text={() => exactCurl(result.request, secret, shell)} write={writeClipboard} />
      </div>
      <pre class="curl" tabIndex={0} aria-label="cURL command (key masked)">
        {view.curl[shell]}
      </pre>
    </div>
  );
}
