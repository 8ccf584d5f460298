import browser from 'webextension-polyfill';
import { defineBackground } from 'wxt/utils/define-background';
import { browserPlatform } from '../lib/browser-platform.js';
import { MENU_ID, MENU_TITLE, onMenuClick, type MenuDeps } from '../lib/context-menu.js';
import { guardedSites, sitePattern, TEST_KEY_MESSAGE } from '../lib/paste-guard.js';
import { registerPasteGuard } from '../lib/paste-guard-registration.js';
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
  // A key handed to the popup: from the context menu, or from the paste guard's "test it in the popup".
  const handOver: MenuDeps = {
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
  };
  browser.contextMenus.onClicked.addListener((info) => {
    if (info.menuItemId !== MENU_ID) return;
    void onMenuClick(info.selectionText, handOver);
  });
  browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
    const { type, key } = (message ?? {}) as { type?: unknown; key?: unknown };
    // Only from a page of this extension's own content script, and only a string.
    if (type !== TEST_KEY_MESSAGE || typeof key !== 'string' || sender.id !== browser.runtime.id) return;
    void onMenuClick(key, handOver);
  });

  // The paste guard runs on the sites the user named and still allows: registered again when the browser
  // starts (Firefox forgets runtime registrations) and when a site's permission is taken away elsewhere.
  const registerGuard = async () => {
    const allowed = [];
    for (const site of await guardedSites(platform)) {
      if (await platform.hasOrigins([sitePattern(site)])) allowed.push(sitePattern(site));
    }
    await registerPasteGuard([...new Set(allowed)]);
  };
  browser.runtime.onStartup.addListener(() => void registerGuard());
  browser.runtime.onInstalled.addListener(() => void registerGuard());
  browser.permissions.onRemoved.addListener(() => void registerGuard());

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
