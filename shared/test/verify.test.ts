import { describe, expect, it } from 'vitest';
import { accountIdNear, fingerprintSecret, scanText, secretAt, verifyKeys } from '../src/index.js';

const ACCOUNT = '123e4567-e89b-12d3-a456-426614174000';
const KEY = 'sk_TEST_q8Wv2LmZr4Tn7Ky1Hc3Jd5Fb';

describe('verifyKeys', () => {
  it('sends at most 4 requests at a time, one per item, and labels by status', async () => {
    let inFlight = 0;
    let most = 0;
    const statuses = [200, 401, 403, 404, 500, 204, 401, 200, 403];
    const seen: string[] = [];
    const fetch = async (url: string, init: RequestInit): Promise<Response> => {
      inFlight++;
      most = Math.max(most, inFlight);
      seen.push(url);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      const auth = new Headers(init.headers).get('authorization')!;
      const status = statuses[Number(/(\d+)$/.exec(auth)![1])]!;
      return new Response(
        status === 204 ? null : '{"payload":{"thisPageItems":[],"totalNumber":0,"lastPageIndex":0}}',
        {
          status,
        },
      );
    };
    const items = statuses.map((_, i) => ({ secret: `${KEY}${i}`, accountId: ACCOUNT }));
    const results = await verifyKeys(items, { baseUrl: 'https://api.example.test', timeoutMs: 1000, fetch });
    expect(most).toBe(4);
    expect(seen).toHaveLength(statuses.length);
    expect(seen[0]).toBe(`https://api.example.test/v1/accounts/${ACCOUNT}/templates?pageIndex=0&pageSize=5`);
    expect(results.map((r) => r.label)).toEqual([
      'live',
      'revoked',
      'other-workspace',
      'unknown',
      'unknown',
      'live',
      'revoked',
      'live',
      'other-workspace',
    ]);
    expect(results[3]!.why).toMatch(/^404\b.*check the Account ID/);
    for (const r of results) expect(r.why).not.toContain(KEY);
  });

  it('labels a failure without an answer unknown, with the cause', async () => {
    const fetch = (): Promise<Response> =>
      Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
    const [result] = await verifyKeys([{ secret: KEY, accountId: ACCOUNT }], {
      baseUrl: 'https://api.example.test',
      timeoutMs: 1000,
      fetch,
    });
    expect(result).toMatchObject({ label: 'unknown' });
    expect(result!.why).toMatch(/^no answer \(network error\): .*connection refused/);
  });
});

describe('accountIdNear', () => {
  it.each([
    [`ACCOUNT_ID=${ACCOUNT}\nAPI_KEY=x`, 2],
    [`{\n  "accountId": "${ACCOUNT.toUpperCase()}",\n  "apiKey": "x"\n}`, 3],
    [`signus:\n  account_id: '${ACCOUNT}'\n  api_key: x`, 3],
    [`const key = "x";\nconst signusAccount = \`${ACCOUNT}\`;`, 1],
    [`$config = ['account' => '${ACCOUNT}', 'key' => 'x'];`, 1],
  ])('finds the Account ID assigned next to the key: %s', (text, line) => {
    expect(accountIdNear(text, line)?.accountId).toBe(ACCOUNT);
  });

  it('takes the nearest, prefers the line above on a tie, and looks no further than 5 lines', () => {
    const other = '00000000-1111-4222-8333-444444444444';
    const text = [`ACCOUNT_ID=${other}`, `ACCOUNT_ID=${ACCOUNT}`, 'KEY=x', `ACCOUNT_ID=${other}`].join('\n');
    expect(accountIdNear(text, 3)).toEqual({ accountId: ACCOUNT, line: 2 });
    const far = [`ACCOUNT_ID=${ACCOUNT}`, '', '', '', '', '', 'KEY=x'].join('\n');
    expect(accountIdNear(far, 7)).toBeUndefined();
    expect(accountIdNear(far, 6)?.line).toBe(1);
  });

  it('ignores UUIDs not assigned to an account name', () => {
    expect(accountIdNear(`REQUEST_ID=${ACCOUNT}\nKEY=x`, 2)).toBeUndefined();
    expect(accountIdNear(`// account ${ACCOUNT}\nKEY=x`, 2)).toBeUndefined();
  });
});

describe('secretAt', () => {
  it('reads back the key a finding points at, plain or encoded, and checks its fingerprint', async () => {
    const b64 = btoa(KEY);
    const text = `héllo\r\nconst k = "${KEY}"; // x\nurl=${encodeURIComponent(KEY)}\nb=${b64}\n`;
    const known = {
      labels: new Map(await Promise.all([KEY, b64].map(async (s) => [await fingerprintSecret(s), 'Mine'] as const))),
    };
    const findings = await scanText(text, { knownKeys: known });
    expect(findings.length).toBeGreaterThanOrEqual(2);
    for (const f of findings) expect(await secretAt(text, f)).toBe(KEY);
    expect(await secretAt(text.replace(KEY, KEY.replace('q8', 'q9')), findings[0]!)).toBeUndefined();
    expect(await secretAt('short', findings[0]!)).toBeUndefined();
  });
});
