import { describe, expect, it } from 'vitest';
import { grantedByManifest, originPattern } from '../../src/lib/origins.js';
import { addToHistory, MAX_HISTORY, takePendingKey, type HistoryEntry } from '../../src/lib/settings.js';
import { fakePlatform } from './fake-platform.js';

describe('origins', () => {
  it('makes a port-free match pattern for a base URL', () => {
    expect(originPattern('http://127.0.0.1:4010')).toBe('http://127.0.0.1/*');
    expect(originPattern('https://staging.example.test:8443/api')).toBe('https://staging.example.test/*');
  });

  it('knows which hosts the manifest grants', () => {
    expect(grantedByManifest('https://api.signus.ai')).toBe(true);
    expect(grantedByManifest('http://localhost:9000')).toBe(true);
    expect(grantedByManifest('http://127.0.0.1:4010')).toBe(true);
    expect(grantedByManifest('http://api.signus.ai')).toBe(false);
    expect(grantedByManifest('http://127.0.0.2:4010')).toBe(false);
    expect(grantedByManifest('https://staging.example.test')).toBe(false);
  });
});

describe('history and session hand-off', () => {
  it(`keeps the last ${MAX_HISTORY} tests, newest first`, async () => {
    const platform = fakePlatform();
    for (let i = 0; i < MAX_HISTORY + 3; i++) {
      await addToHistory(platform, { testedAt: String(i) } as HistoryEntry);
    }
    const history = (await platform.local.get<HistoryEntry[]>('history'))!;
    expect(history).toHaveLength(MAX_HISTORY);
    expect(history[0]!.testedAt).toBe(String(MAX_HISTORY + 2));
  });

  it('reads the context menu selection once', async () => {
    const platform = fakePlatform();
    await platform.session.set('pendingKey', 'sk_FAKE_selected_0123456789abcd');
    expect(await takePendingKey(platform)).toBe('sk_FAKE_selected_0123456789abcd');
    expect(await takePendingKey(platform)).toBeUndefined();
  });
});
