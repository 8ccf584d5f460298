import { exactCurl, presentKeyTest, SHELLS, type KeyTestResult, type Shell } from '@signus/shared';
import { useEffect, useState } from 'preact/hooks';
import { CopyButton } from './CopyButton.js';

// Loaded after first paint with the rest of what only a test needs (src/lib/tester.ts).

const SHELL_LABELS: Record<Shell, string> = { posix: 'bash', powershell: 'PowerShell', cmd: 'cmd' };

/** The live region's sentence for a result: the verdict, the status, the hint, what the key can see. */
export function resultAnnouncement(result: KeyTestResult): string {
  const view = presentKeyTest(result);
  return [`${view.headline}, ${view.statusLine}.`, view.hint, view.answer].filter(Boolean).join(' ');
}

export function ResultView({
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
