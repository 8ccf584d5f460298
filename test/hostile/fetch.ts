import type { HostileAnswer, HostileRequest, HostileScript } from './server.js';

/**
 * The hostile server's scripts as a `fetch`, for component tests that run where a socket is not the point
 * (a DOM test, an HTML render). A `Response` cannot carry what a browser would refuse anyway (control
 * characters in the status text or a header), so those become `?`; everything else arrives as scripted.
 */
export function hostileFetch(script: HostileScript): (input: string, init: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const headers = new Headers(init.headers);
    const authorization = headers.get('authorization') ?? '';
    const url = new URL(input);
    const request: HostileRequest = {
      method: init.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      accountId: /^\/v1\/accounts\/([^/?]+)/.exec(url.pathname)?.[1] ?? '',
      authorization,
      secret: authorization.replace(/^Bearer\s+/i, ''),
    };
    return toResponse(script(request));
  };
}

const printable = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?');

function toResponse(answer: HostileAnswer): Response {
  const body = answer.body ?? '';
  const text =
    typeof body === 'string'
      ? body
      : `${body.chunk.repeat(Math.ceil(body.bytes / body.chunk.length))}${body.tail ?? ''}`;
  return new Response(answer.status >= 300 && answer.status < 400 && text === '' ? null : text, {
    status: answer.status,
    statusText: printable(answer.statusText ?? ''),
    headers: (answer.headers ?? []).map(([k, v]) => [k, printable(v)] as [string, string]),
  });
}
