import type { KeyTestResult } from '@signus/shared';
import type { Tester } from '../lib/load-tester.js';

export type Phase =
  | { kind: 'idle' }
  | { kind: 'running'; cancel: () => void; waitingFor?: string }
  /** `tester`: the module that ran it, loaded after first paint, which also lays the result out. */
  | { kind: 'result'; result: KeyTestResult; secret: string; tester: Tester }
  | { kind: 'denied'; message: string };

interface Props {
  phase: Phase;
  writeClipboard: (text: string) => Promise<void>;
}

/** What the live region says for a phase: one sentence, replaced as the phase changes. */
export function announcement(phase: Phase): string {
  switch (phase.kind) {
    case 'idle':
      return '';
    case 'running':
      return phase.waitingFor ? `Waiting for permission to reach ${phase.waitingFor}.` : 'Testing the key.';
    case 'denied':
      return `Host permission needed. ${phase.message}`;
    case 'result':
      return phase.tester.resultAnnouncement(phase.result);
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
        <phase.tester.ResultView result={phase.result} secret={phase.secret} writeClipboard={writeClipboard} />
      )}
    </section>
  );
}
