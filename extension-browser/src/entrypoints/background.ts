import browser from 'webextension-polyfill';
import { defineBackground } from 'wxt/utils/define-background';
import { MENU_ID, MENU_TITLE, onMenuClick } from '../lib/context-menu.js';
import { PENDING_KEY } from '../lib/settings.js';

export default defineBackground(() => {
  // Made afresh at every start: Firefox does not keep a persistent page's menus across restarts, and
  // removing first spares Chrome's service worker a duplicate-id error when it starts again.
  void browser.contextMenus
    .removeAll()
    .then(() => browser.contextMenus.create({ id: MENU_ID, title: MENU_TITLE, contexts: ['selection'] }));
  browser.contextMenus.onClicked.addListener((info) => {
    if (info.menuItemId !== MENU_ID) return;
    // Firefox MV2 has browserAction; Chrome MV3 has action.
    const action = browser.action ?? browser.browserAction;
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
});
