import browser from 'webextension-polyfill';
import { defineBackground } from 'wxt/utils/define-background';
import { browserPlatform } from '../lib/browser-platform.js';
import { MENU_ID, MENU_TITLE, onMenuClick } from '../lib/context-menu.js';
import { peekDraftOrigin } from '../lib/permission-draft.js';
import { PENDING_KEY } from '../lib/settings.js';

export default defineBackground(() => {
  // Firefox MV2 has browserAction; Chrome MV3 has action.
  const action = browser.action ?? browser.browserAction;
  const platform = browserPlatform();

  // Made afresh at every start: Firefox does not keep a persistent page's menus across restarts, and
  // removing first spares Chrome's service worker a duplicate-id error when it starts again.
  void browser.contextMenus
    .removeAll()
    .then(() => browser.contextMenus.create({ id: MENU_ID, title: MENU_TITLE, contexts: ['selection'] }));
  browser.contextMenus.onClicked.addListener((info) => {
    if (info.menuItemId !== MENU_ID) return;
    void onMenuClick(info.selectionText, {
      setPendingKey: (text) => browser.storage.session.set({ [PENDING_KEY]: text }),
      openPopup: () => action.openPopup(),
      openTesterWindow: async () => {
        await browser.windows.create({
          url: browser.runtime.getURL('/popup.html'),
          type: 'popup',
          width: 440,
          height: 640,
        });
      },
    });
  });

  // The permission prompt closed the popup; once the user allows, bring the popup back to finish the
  // parked test (permission-draft.ts). Where the browser will not open it without a click (Firefox), the
  // draft waits for the user to open it.
  browser.permissions.onAdded.addListener((added) => {
    void peekDraftOrigin(platform).then(async (origin) => {
      if (origin === undefined || !added.origins?.includes(origin)) return;
      await action.openPopup().catch(() => undefined);
    });
  });
});
