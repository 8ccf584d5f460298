import { describe, expect, it } from 'vitest';
import { SignusApiError, SignusClient } from '../src/index.js';

const KEY = 'sk_FAKE_test_0123456789abcdefWXYZ';
const ACCOUNT = '123e4567-e89b-12d3-a456-426614174000';

function clientAnswering(status: number, body: string, seen: string[] = []): SignusClient {
  return new SignusClient({
    apiKey: KEY,
    accountId: ACCOUNT,
    baseUrl: 'http://127.0.0.1:1234/',
    fetch: async (url) => {
      seen.push(url);
      return new Response(body, { status });
    },
  });
}

describe('SignusClient', () => {
  it('lists templates from the payload envelope', async () => {
    const seen: string[] = [];
    const page = { thisPageItems: [{ id: 'a', name: 'NDA' }], totalNumber: 1, lastPageIndex: 0 };
    const result = await clientAnswering(200, JSON.stringify({ payload: page }), seen).listTemplates({
      pageIndex: 2,
      pageSize: 10,
    });
    expect(result).toEqual(page);
    expect(seen[0]).toBe(`http://127.0.0.1:1234/v1/accounts/${ACCOUNT}/templates?pageIndex=2&pageSize=10`);
  });

  it('throws a typed error with status, body and a reason', async () => {
    const error = await clientAnswering(401, `{"error":"bad key ${KEY}"}`)
      .listTemplates()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignusApiError);
    const apiError = error as SignusApiError;
    expect(apiError.verdict).toBe('unauthorized');
    expect(apiError.status).toBe(401);
    expect(apiError.reason).toMatch(/wrong, was deleted/);
    expect(apiError.body).not.toContain(KEY);
  });

  it('rejects JSON of the wrong shape', async () => {
    const error = await clientAnswering(200, '{"items":[]}')
      .listTemplates()
      .catch((e: unknown) => e);
    expect((error as SignusApiError).verdict).toBe('unexpected_response');
  });

  it('gets one template', async () => {
    const seen: string[] = [];
    const template = await clientAnswering(200, '{"payload":{"id":"t 1","name":"NDA"}}', seen).getTemplate('t 1');
    expect(template.name).toBe('NDA');
    expect(seen[0]).toMatch(/\/templates\/t%201$/);
  });
});
