interface Props {
  id: string;
  /** Nothing to say: the element stays, empty, so the next message is an update a screen reader announces. */
  text: string | undefined;
  kind: 'error' | 'warning' | 'note';
}

/** A field's inline message: a live region that is always in the page and whose text changes. */
export function FieldMessage({ id, text, kind }: Props) {
  return (
    <p id={id} class={text ? `message ${kind}` : 'message'} aria-live="polite">
      {text ?? ''}
    </p>
  );
}
