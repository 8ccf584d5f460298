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
  // Firefox opens the popup only while the menu click is being handled: nothing is awaited before
  // openPopup. The hand-off is sent first, and the browser stores it before the popup, which takes
  // far longer to load, reads it.
  const handedOver = deps.setPendingKey(text);
  const opened = deps.openPopup().then(
    () => true,
    () => false,
  );
  await handedOver;
  if (!(await opened)) await deps.openTesterWindow();
}
