import { useEffect, useRef, useState } from 'preact/hooks';

interface Props {
  label: string;
  /** Computed on click, so an exact secret is only built when the user asks for it. */
  text: () => string;
  write: (text: string) => Promise<void>;
}

type CopyState = 'idle' | 'copied' | 'failed';

export function CopyButton({ label, text, write }: Props) {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async () => {
    try {
      await write(text());
      setState('copied');
    } catch {
      setState('failed');
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2000);
  };

  return (
    <button type="button" class="copy" onClick={() => void copy()}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
