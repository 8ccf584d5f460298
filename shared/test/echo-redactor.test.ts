import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { echoRedactor } from '../src/index.js';
import { buildEcho, echoArb, keyArb } from '../../test/hostile/arbitraries.js';
import { changeCase, encode } from '../../test/hostile/echo-forms.js';
import { findKeyLeak } from '../../test/hostile/leak-check.js';

const KEY = 'sk_FAKE_echo_0123456789abcdefWXYZ';
const BODY = KEY.slice(3);
const redact = echoRedactor(KEY);

describe('echoRedactor catches each echo form', () => {
  it.each<[string, string]>([
    ['the key', `{"auth":"Bearer ${KEY}"}`],
    ['the body without sk_', `token=${BODY}`],
    ['the body upper-cased', BODY.toUpperCase()],
    ['the body lower-cased', `x ${BODY.toLowerCase()} y`],
    ['the body case-swapped', changeCase(BODY, 'swapped')],
    ['every character JSON-escaped', `{"k":"${encode(KEY, 'json-u-all')}"}`],
    ['letters JSON-escaped', `{"k":"${encode(KEY, 'json-u-letters')}"}`],
    ['slashes JSON-escaped in base64', `{"k":"${encode(`??>${KEY}`, 'base64').replace(/\//g, '\\/')}"}`],
    ['every character URL-encoded, upper-case hex', encode(KEY, 'url-all-upper')],
    ['every character URL-encoded, lower-case hex', `/cb?k=${encode(KEY, 'url-all-lower')}&x=1`],
    ['some characters URL-encoded', encode(KEY, 'url-some')],
    ['URL-encoded inside JSON escapes', encode(encode(KEY, 'url-all-upper'), 'json-u-letters')],
    ['base64', encode(KEY, 'base64')],
    ['base64 of the body', encode(BODY, 'base64')],
    ['base64 without padding', encode(KEY, 'base64-unpadded')],
    ['URL-safe base64', encode(`Bearer ${KEY}`, 'base64url')],
    ['URL-safe base64 without padding', encode(`Bearer ${KEY}`, 'base64url-unpadded')],
    ['base64 with a newline', encode(KEY, 'base64-newline')],
    ['base64 at alignment 1', encode(`a${KEY}`, 'base64')],
    ['base64 at alignment 2', encode(`ab${KEY}`, 'base64')],
    ['base64 of "Bearer <key>"', encode(`Bearer ${KEY}`, 'base64')],
    ['zero-width characters between the characters', Array.from(KEY).join('\u200b')],
    ['control characters between the characters', Array.from(KEY).join('\u0008\u0000')],
    ['8 characters of the body', `...${BODY.slice(9, 17)}...`],
  ])('%s', (_label, echoed) => {
    expect(findKeyLeak(echoed, KEY), 'the test input itself must carry the key').toBeDefined();
    const out = redact(echoed);
    expect(findKeyLeak(out, KEY)).toBeUndefined();
    expect(out).toContain('••••••••');
  });

  it('masks a literal key as maskSecret does, keeping the text around it', () => {
    expect(redact(`{"echo":"Bearer ${KEY}"}`)).toBe('{"echo":"Bearer sk_••••••••WXYZ"}');
  });

  it('keeps JSON valid when it masks inside a string', () => {
    const out = redact(`{"a":"${encode(KEY, 'json-u-all')}","b":"${encode(KEY, 'base64')}"}`);
    expect(() => JSON.parse(out)).not.toThrow();
  });

  it('leaves text alone that shares fewer than 8 characters with the key', () => {
    const text = `{"id":"${BODY.slice(0, 7)}","name":"${BODY.slice(10, 17)}","s":"${encode(BODY.slice(0, 5), 'base64')}"}`;
    expect(redact(text)).toBe(text);
  });

  it('masks any other key-shaped text too', () => {
    expect(redact('other sk_OTHERkeyZZZZyyyyxxxxwwww')).toBe('other sk_••••••••wwww');
  });
});

describe('echoRedactor, property', () => {
  it('leaves no run of 8 characters of the key, whatever the key and the echo form', () => {
    fc.assert(
      fc.property(keyArb, fc.array(echoArb, { minLength: 1, maxLength: 4 }), (secret, echoes) => {
        const text = echoes.map((e) => buildEcho(secret, e)).join(' ');
        expect(findKeyLeak(echoRedactor(secret)(text), secret)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});
