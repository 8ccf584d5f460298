import type { KeyValueStore, OptionsPlatform } from '../../src/lib/platform.js';

export class MemoryStore implements KeyValueStore {
  readonly items = new Map<string, unknown>();
  async get<T>(key: string): Promise<T | undefined> {
    return structuredClone(this.items.get(key)) as T | undefined;
  }
  async set(key: string, value: unknown): Promise<void> {
    this.items.set(key, structuredClone(value));
  }
  async remove(key: string): Promise<void> {
    this.items.delete(key);
  }
  /** Everything stored, as one string, to look for a secret in. */
  dump(): string {
    return JSON.stringify([...this.items]);
  }
}

/** A controllable request: the test decides when and how it answers. */
export interface PendingFetch {
  url: string;
  init: RequestInit;
  respond(body: string, init?: ResponseInit): void;
  fail(error: Error): void;
}

export interface FakePlatform extends OptionsPlatform {
  local: MemoryStore;
  session: MemoryStore;
  clipboard: string[];
  requested: string[][];
  fetches: PendingFetch[];
  grant: boolean | Error;
  /** Host patterns the user took away, e.g. with Chrome's "site access" setting. */
  withheld: string[];
  optionsOpened: number;
  /** Host patterns given back. */
  removed: string[][];
  /** The paste guard's patterns as last registered. */
  guardPatterns: string[];
}

export function fakePlatform(): FakePlatform {
  const platform: FakePlatform = {
    local: new MemoryStore(),
    session: new MemoryStore(),
    clipboard: [],
    requested: [],
    fetches: [],
    grant: true,
    withheld: [],
    optionsOpened: 0,
    removed: [],
    guardPatterns: [],
    async removeOrigins(origins) {
      platform.removed.push(origins);
      return true;
    },
    async registerPasteGuard(patterns) {
      platform.guardPatterns = patterns;
    },
    async requestOrigins(origins) {
      platform.requested.push(origins);
      if (platform.grant instanceof Error) throw platform.grant;
      return platform.grant;
    },
    async hasOrigins(origins) {
      return origins.every((o) => !platform.withheld.includes(o));
    },
    async writeClipboard(text) {
      platform.clipboard.push(text);
    },
    async openOptions() {
      platform.optionsOpened += 1;
    },
    fetch: (url, init) =>
      new Promise<Response>((resolve, reject) => {
        init.signal?.addEventListener('abort', () =>
          reject(new DOMException('The operation was aborted.', 'AbortError')),
        );
        platform.fetches.push({
          url,
          init,
          respond: (body, responseInit) => resolve(new Response(body, responseInit)),
          fail: reject,
        });
      }),
  };
  return platform;
}

/** Obviously fake, key-shaped. */
export const FAKE_KEY = 'sk_FAKE_test_0123456789abcdefWXYZ';
export const ACCOUNT_ID = '123e4567-e89b-12d3-a456-426614174000';
export const TEMPLATES_BODY = JSON.stringify({
  payload: {
    thisPageItems: [{ id: 'b1c7e2a0-0000-4000-8000-000000000001', name: 'NDA', signingOrder: 'PARALLEL' }],
    totalNumber: 1,
    lastPageIndex: 0,
  },
});
