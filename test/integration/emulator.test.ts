import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
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

const JSON_TYPE = { 'content-type': 'application/json' };

describe('the control interface', () => {
  it('creates and deletes keys over HTTP', async () => {
    const created = (await (
      await fetch(`${emu.url}/_emulator/keys`, { method: 'POST', headers: JSON_TYPE, body: '{"name":"CI"}' })
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
      headers: JSON_TYPE,
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
    const res = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: '{"kind":"meteor"}',
    });
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

describe('the control interface refuses what a web page can send', () => {
  /** A raw request, so the Host header can be what a browser would send after DNS rebinding. */
  function raw(
    method: string,
    path: string,
    headers: Record<string, string>,
    body = '',
  ): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
    const { port } = new URL(emu.url);
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers, setHost: false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  const port = () => new URL(emu.url).port;
  const keyCount = () => emu.state.keys.size;

  it('a cross-site "simple" POST (text/plain, form) changes nothing', async () => {
    const before = keyCount();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await raw('POST', '/_emulator/keys', { host: `127.0.0.1:${port()}`, 'content-type': type }, '{}');
      expect(res.status).toBe(415);
      expect(res.text).toContain('application/json');
    }
    const fault = await raw('POST', '/_emulator/faults', { host: `127.0.0.1:${port()}` }, '{"kind":"drop"}');
    expect(fault.status).toBe(415);
    expect(keyCount()).toBe(before);
    expect(emu.state.faults).toEqual([]);
  });

  it('a request addressed to another host name (DNS rebinding) is refused, even as JSON', async () => {
    const before = keyCount();
    const json = { 'content-type': 'application/json' };
    for (const host of [
      `attacker.example:${port()}`,
      `127.0.0.1.nip.io:${port()}`,
      `127.0.0.1:${Number(port()) + 1}`,
      '',
    ]) {
      const headers = host ? { host, ...json } : json;
      // Without any Host, Node's HTTP server already answers 400.
      const refused = host ? [403] : [400];
      expect(refused).toContain((await raw('GET', '/_emulator/state', headers)).status);
      expect(refused).toContain((await raw('POST', '/_emulator/keys', headers, '{}')).status);
      const id = [...emu.state.keys.values()][0]!.id;
      expect(refused).toContain((await raw('DELETE', `/_emulator/keys/${id}`, headers)).status);
    }
    expect(keyCount()).toBe(before);
  });

  it('answers JSON addressed to 127.0.0.1, localhost or [::1], and never approves a CORS preflight', async () => {
    for (const host of ['127.0.0.1', 'localhost', '[::1]', 'LOCALHOST']) {
      const res = await raw('GET', '/_emulator/state', { host: `${host}:${port()}` });
      expect(res.status).toBe(200);
    }
    const created = await raw(
      'POST',
      '/_emulator/keys',
      { host: `localhost:${port()}`, 'content-type': 'application/json; charset=utf-8' },
      '{"name":"local"}',
    );
    expect(created.status).toBe(201);
    const preflight = await raw('OPTIONS', '/_emulator/keys', {
      host: `127.0.0.1:${port()}`,
      origin: 'https://attacker.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
