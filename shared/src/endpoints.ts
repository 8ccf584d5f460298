import { PRODUCTION_BASE_URL } from './key-format.js';

/** `{base}/v1/accounts/{accountId}` with the Account ID percent-encoded, whatever it contains. */
export function accountUrl(baseUrl: string | undefined, accountId: string): string {
  const base = (baseUrl ?? PRODUCTION_BASE_URL).replace(/\/+$/, '');
  return `${base}/v1/accounts/${encodeURIComponent(accountId)}`;
}

export function templatesUrl(
  baseUrl: string | undefined,
  accountId: string,
  page: { pageIndex: number; pageSize: number },
): string {
  return `${accountUrl(baseUrl, accountId)}/templates?pageIndex=${page.pageIndex}&pageSize=${page.pageSize}`;
}

/** The exact page the app's "Test API key" dialog asks for. */
export const KEY_TEST_PAGE = { pageIndex: 0, pageSize: 5 } as const;
