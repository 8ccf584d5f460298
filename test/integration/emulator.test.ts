import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.clearFaults());

function get(path: string, key: string | null = emu.apiKey): Promise<Response> {
  return fetch(`${emu.url}${path}`, key === null ? {} : { headers: { authorization: `Bearer ${key}` } });
}

describe('the emulated API', () => {
  it('binds 127.0.0.1 on a free port', () => {
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('pages templates in the documented envelope', async () => {
    const res = await get(`/v1/accounts/${emu.accountId}/templates?pageIndex=2&pageSize=5`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      payload: {
        thisPageItems: { id: string; signingOrder: string; createdAt: string }[];
        totalNumber: number;
        lastPageIndex: number;
      };
    };
    expect(body.payload.totalNumber).toBe(12);
    expect(body.payload.lastPageIndex).toBe(2);
    expect(body.payload.thisPageItems).toHaveLength(2);
    expect(body.payload.thisPageItems[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        name: expect.any(String),
        numberOfFiles: expect.any(Number),
        hasRecipients: expect.any(Boolean),
      }),
    );
    expect(['PARALLEL', 'SEQUENTIAL']).toContain(body.payload.thisPageItems[0]!.signingOrder);
  });

  it.each(['pageIndex=-1', 'pageIndex=x', 'pageSize=0', 'pageSize=101', 'pageSize=2.5'])(
    'answers 400 to %s',
    async (query) => {
      expect((await get(`/v1/accounts/${emu.accountId}/templates?${query}`)).status).toBe(400);
    },
  );

  it('answers 401 to a missing, unknown or deleted key', async () => {
    expect((await get(`/v1/accounts/${emu.accountId}/templates`, null)).status).toBe(401);
    expect((await get(`/v1/accounts/${emu.accountId}/templates`, 'sk_FAKE_unknown_000000000000000000')).status).toBe(
      401,
    );
    const key = emu.createKey();
    expect((await get(`/v1/accounts/${emu.accountId}/templates`, key.secret)).status).toBe(200);
    emu.deleteKey(key.secret);
    expect((await get(`/v1/accounts/${emu.accountId}/templates`, key.secret)).status).toBe(401);
  });

  it('answers 403 to a key used on another account, 404 to an unknown account', async () => {
    expect((await get(`/v1/accounts/${emu.otherAccountId}/templates`)).status).toBe(403);
    expect((await get('/v1/accounts/00000000-0000-4000-8000-000000000000/templates')).status).toBe(404);
  });

  it('serves one template', async () => {
    const list = (await (await get(`/v1/accounts/${emu.accountId}/templates?pageSize=1`)).json()) as {
      payload: { thisPageItems: { id: string }[] };
    };
    const id = list.payload.thisPageItems[0]!.id;
    const one = (await (await get(`/v1/accounts/${emu.accountId}/templates/${id}`)).json()) as {
      payload: { id: string };
    };
    expect(one.payload.id).toBe(id);
  });
});

describe('the control interface', () => {
  it('creates and deletes keys over HTTP', async () => {
    const created = (await (
      await fetch(`${emu.url}/_emulator/keys`, { method: 'POST', body: '{"name":"CI"}' })
    ).json()) as { id: string; secret: string };
    expect(created.secret).toMatch(/^sk_emu_[A-Za-z0-9]{32}$/);
    expect((await get(`/v1/accounts/${emu.accountId}/templates`, created.secret)).status).toBe(200);
    expect((await fetch(`${emu.url}/_emulator/keys/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await get(`/v1/accounts/${emu.accountId}/templates`, created.secret)).status).toBe(401);
  });

  it('shows state without secrets', async () => {
    const text = await (await fetch(`${emu.url}/_emulator/state`)).text();
    expect(text).toContain(emu.accountId);
    expect(text).not.toContain(emu.apiKey);
  });

  it('injects faults for a number of requests, then recovers', async () => {
    const res = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'POST',
      body: '{"kind":"rate_limit","retryAfter":5,"times":1}',
    });
    expect(res.status).toBe(201);
    const limited = await get(`/v1/accounts/${emu.accountId}/templates`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('5');
    expect((await get(`/v1/accounts/${emu.accountId}/templates`)).status).toBe(200);
  });

  it('delays answers', async () => {
    emu.injectFault({ kind: 'latency', ms: 200 }, 1);
    const start = performance.now();
    await get(`/v1/accounts/${emu.accountId}/templates`);
    expect(performance.now() - start).toBeGreaterThanOrEqual(190);
  });

  it('rejects an unknown fault kind with a clear message', async () => {
    const res = await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', body: '{"kind":"meteor"}' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/kind must be one of/);
  });

  it('streams a huge body without holding it', async () => {
    emu.injectFault({ kind: 'huge', bytes: 20 * 1024 * 1024 }, 1);
    const text = await (await get(`/v1/accounts/${emu.accountId}/templates`)).text();
    expect(text.length).toBe(20 * 1024 * 1024);
    expect(() => JSON.parse(text)).not.toThrow();
  });
});
