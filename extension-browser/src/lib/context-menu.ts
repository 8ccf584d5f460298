export const MENU_ID = 'signus-test-key';
export const MENU_TITLE = 'Test as Signus API key';

export interface MenuDeps {
  /** Hands the selection to the popup through session storage (memory only). */
  setPendingKey(text: string): Promise<void>;
  /** The toolbar popup; rejects where the browser does not allow opening it here. */
  openPopup(): Promise<void>;
  /** A small window with the tester, when the popup cannot be opened. */
  openTesterWindow(): Promise<void>;
}

export async function onMenuClick(selectionText: string | undefined, deps: MenuDeps): Promise<void> {
  const text = selectionText?.trim() ?? '';
  if (text === '') return;
  await deps.setPendingKey(text);
  try {
    await deps.openPopup();
  } catch {
    await deps.openTesterWindow();
  }
}
