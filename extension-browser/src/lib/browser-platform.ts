import browser from 'webextension-polyfill';
import type { KeyValueStore, Platform } from './platform.js';

function store(area: browser.Storage.StorageArea): KeyValueStore {
  return {
    async get<T>(key: string) {
      const items = await area.get(key);
      return items[key] as T | undefined;
    },
    set: (key, value) => area.set({ [key]: value }),
    remove: (key) => area.remove(key),
  };
}

export function browserPlatform(): Platform {
  return {
    local: store(browser.storage.local),
    session: store(browser.storage.session),
    requestOrigins: (origins) => browser.permissions.request({ origins }),
    hasOrigins: (origins) => browser.permissions.contains({ origins }),
    writeClipboard: (text) => navigator.clipboard.writeText(text),
    openOptions: () => browser.runtime.openOptionsPage(),
    // Only a test fetches: loaded with the rest of it, after the popup's first paint.
    fetch: async (input, init) => {
      const { diagnosingFetch } = await import('./diagnosing-fetch.js');
      const fetch = diagnosingFetch(
        browser.webRequest,
        (url, options) => globalThis.fetch(url, options),
        () => navigator.onLine,
      );
      return fetch(input, init);
    },
  };
}
