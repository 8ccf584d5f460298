import fc from 'fast-check';
import type { HostileAnswer } from './server.js';
import {
  changeCase,
  ENCODINGS,
  echoText,
  encode,
  isBase64,
  type EchoPart,
  type Encoding,
  type LetterCase,
} from './echo-forms.js';

const KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** Random key-shaped secrets: `sk_` and 20 to 64 characters of the key alphabet. */
export const keyArb = fc
  .array(fc.constantFrom(...KEY_CHARS), { minLength: 20, maxLength: 64 })
  .map((chars) => `sk_${chars.join('')}`);

export interface Echo {
  part: EchoPart;
  slice: { start: number; length: number };
  letterCase: LetterCase;
  encoding: Encoding;
  before: string;
  after: string;
}

/** One echo of the key: which part of it, in which case and encoding, with what text around it. */
export const echoArb: fc.Arbitrary<Echo> = fc.record({
  part: fc.constantFrom<EchoPart>('key', 'body', 'bearer', 'slice'),
  slice: fc.record({ start: fc.nat(60), length: fc.integer({ min: 8, max: 40 }) }),
  letterCase: fc.constantFrom<LetterCase>('as-is', 'upper', 'lower', 'swapped'),
  encoding: fc.constantFrom<Encoding>(...ENCODINGS),
  before: fc.string({ maxLength: 12 }),
  after: fc.string({ maxLength: 12 }),
});

/** The echoed text. Letter case changes only forms that keep letters: a case-changed base64 is another key. */
export function buildEcho(secret: string, echo: Echo): string {
  const text = echoText(secret, echo.part, echo.slice);
  const cased = isBase64(echo.encoding) ? text : changeCase(text, echo.letterCase);
  return `${echo.before}${encode(cased, echo.encoding)}${echo.after}`;
}

/** Where the hostile server puts the echoes. */
export type Placement = 'json-200' | 'json-401' | 'text-500' | 'status-text' | 'location';
export const placementArb = fc.constantFrom<Placement>('json-200', 'json-401', 'text-500', 'status-text', 'location');

/** A status line or header carries printable ASCII only; anything else in an echo becomes `?` there. */
const headerSafe = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?');

export function echoAnswer(secret: string, echoes: readonly Echo[], placement: Placement): HostileAnswer {
  const text = echoes.map((e) => buildEcho(secret, e)).join(' ');
  switch (placement) {
    case 'json-200':
      return { status: 200, headers: [['Content-Type', 'application/json']], body: `{"payload":{"echo":"${text}"}}` };
    case 'json-401':
      return { status: 401, statusText: 'Unauthorized', body: `{"error":"${text}"}` };
    case 'text-500':
      return { status: 500, statusText: 'Internal Server Error', body: text };
    case 'status-text':
      return { status: 403, statusText: headerSafe(text), body: '' };
    case 'location':
      return { status: 302, statusText: 'Found', headers: [['Location', headerSafe(text)]] };
  }
}

/** Checks a surface for random keys and 1 to 3 random echoes of each, placed somewhere in the answer. */
export function assertForRandomEchoes(
  check: (secret: string, answer: HostileAnswer) => Promise<void>,
  numRuns: number,
): Promise<void> {
  return fc.assert(
    fc.asyncProperty(
      keyArb,
      fc.array(echoArb, { minLength: 1, maxLength: 3 }),
      placementArb,
      (secret, echoes, placement) => check(secret, echoAnswer(secret, echoes, placement)),
    ),
    { numRuns },
  );
}
