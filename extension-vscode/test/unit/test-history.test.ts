import { describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { testApiKey } from '@signus/shared';
import { forgetTestHistory, HISTORY_LIMIT, testHistoryOf } from '../../src/panel/test-history.js';

const SECRET = 'sk_FAKE_0123456789abcdefghijKLMN';
const ACCOUNT = '123e4567-e89b-12d3-a456-426614174000';

/** globalState as VS Code keeps it: values go through JSON. */
function memento(): vscode.Memento & { raw: () => string } {
  let data: Record<string, string> = {};
  return {
    keys: () => Object.keys(data),
    get: <T>(key: string, fallback?: T) => (key in data ? (JSON.parse(data[key]!) as T) : fallback),
    update: async (key: string, value: unknown) => {
      data = { ...data, [key]: JSON.stringify(value) };
    },
    raw: () => JSON.stringify(data),
  } as vscode.Memento & { raw: () => string };
}

const TEMPLATES = JSON.stringify({ payload: { thisPageItems: [], totalNumber: 3, lastPageIndex: 0 } });
const answer = (status: number) =>
  testApiKey({ secret: SECRET, accountId: ACCOUNT, fetch: async () => new Response(TEMPLATES, { status }) });

describe('a stored key’s test history', () => {
  it('keeps the newest tests first, at most HISTORY_LIMIT, per key, with no key in it', async () => {
    const state = memento();
    const staging = testHistoryOf(state, 'k1');
    for (let i = 0; i < HISTORY_LIMIT + 3; i++) await staging.record(await answer(i === 0 ? 401 : 200));
    await testHistoryOf(state, 'k2').record(await answer(401));
    const list = staging.list();
    expect(list).toHaveLength(HISTORY_LIMIT);
    expect(list.every((e) => e.tone === 'ok')).toBe(true);
    expect(testHistoryOf(state, 'k2').list()[0]).toMatchObject({
      tone: 'rejected',
      summary: 'Unauthorized (HTTP 401)',
    });
    expect(state.raw()).not.toContain(SECRET);
    expect(state.raw()).not.toContain(SECRET.slice(3));
  });

  it('does not record a cancelled test, and forgets a deleted key', async () => {
    const state = memento();
    const history = testHistoryOf(state, 'k1');
    const controller = new AbortController();
    controller.abort();
    await history.record(
      await testApiKey({
        secret: SECRET,
        accountId: ACCOUNT,
        signal: controller.signal,
        fetch: async (_url, init) => {
          init?.signal?.throwIfAborted();
          return new Response(TEMPLATES);
        },
      }),
    );
    expect(history.list()).toEqual([]);
    await history.record(await answer(200));
    await forgetTestHistory(state, 'k1');
    expect(history.list()).toEqual([]);
  });
});
