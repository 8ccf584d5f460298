// What the key-test webview may ask of the extension. The webview is the less trusted side: its messages are
// checked against this union, never taken on faith.

export type PanelMessage = { type: 'copyJson' } | { type: 'openBody' } | { type: 'copyCurl' } | { type: 'rerun' };

export type PanelMessageType = PanelMessage['type'];

/** The panel's buttons (element id → message), rendered into the webview's script. */
export const PANEL_BUTTONS: readonly (readonly [id: string, type: PanelMessageType])[] = [
  ['copy-json', 'copyJson'],
  ['open-body', 'openBody'],
  ['copy-curl', 'copyCurl'],
  ['rerun', 'rerun'],
];

const TYPES: ReadonlySet<string> = new Set<PanelMessageType>(['copyJson', 'openBody', 'copyCurl', 'rerun']);

export function parsePanelMessage(value: unknown): PanelMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && TYPES.has(type) ? ({ type } as PanelMessage) : undefined;
}
