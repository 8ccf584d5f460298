/**
 * The forms in which a hostile server echoes a key back. Each takes the text to echo (the key, its body,
 * `Bearer <key>`, a slice of it) and returns what the server sends.
 */

export type LetterCase = 'as-is' | 'upper' | 'lower' | 'swapped';
export type Encoding =
  | 'plain'
  | 'json-u-all'
  | 'json-u-letters'
  | 'url-all-upper'
  | 'url-all-lower'
  | 'url-some'
  | 'base64'
  | 'base64-unpadded'
  | 'base64url'
  | 'base64url-unpadded'
  | 'base64-newline';

export const ENCODINGS: readonly Encoding[] = [
  'plain',
  'json-u-all',
  'json-u-letters',
  'url-all-upper',
  'url-all-lower',
  'url-some',
  'base64',
  'base64-unpadded',
  'base64url',
  'base64url-unpadded',
  'base64-newline',
];

export function isBase64(encoding: Encoding): boolean {
  return encoding.startsWith('base64');
}

export function changeCase(text: string, letterCase: LetterCase): string {
  switch (letterCase) {
    case 'upper':
      return text.toUpperCase();
    case 'lower':
      return text.toLowerCase();
    case 'swapped':
      return Array.from(text, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
    default:
      return text;
  }
}

const hex = (c: string): string => c.charCodeAt(0).toString(16).padStart(2, '0');

/**
 * The text in one encoding. JSON `\u` escapes stand inside a JSON string as they would be sent
 * (the caller puts them between quotes); base64 encodes the text's UTF-8 bytes.
 */
export function encode(text: string, encoding: Encoding): string {
  switch (encoding) {
    case 'plain':
      return text;
    case 'json-u-all':
      return Array.from(text, (c) => `\\u${hex(c).padStart(4, '0')}`).join('');
    case 'json-u-letters':
      return Array.from(text, (c) => (/[a-z]/i.test(c) ? `\\u${hex(c).toUpperCase().padStart(4, '0')}` : c)).join('');
    case 'url-all-upper':
      return Array.from(text, (c) => `%${hex(c).toUpperCase()}`).join('');
    case 'url-all-lower':
      return Array.from(text, (c) => `%${hex(c)}`).join('');
    case 'url-some':
      return Array.from(text, (c, i) => (i % 3 === 1 ? `%${hex(c)}` : c)).join('');
    case 'base64':
      return base64(text);
    case 'base64-unpadded':
      return base64(text).replace(/=+$/, '');
    case 'base64url':
      return base64(text).replace(/\+/g, '-').replace(/\//g, '_');
    case 'base64url-unpadded':
      return base64(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    case 'base64-newline':
      return `${base64(text)}\n`;
  }
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** What part of the key is echoed: all of it, the body without `sk_`, the header value, or a slice. */
export type EchoPart = 'key' | 'body' | 'bearer' | 'slice';

export function echoText(secret: string, part: EchoPart, slice: { start: number; length: number }): string {
  const body = secret.replace(/^sk_/, '');
  switch (part) {
    case 'key':
      return secret;
    case 'body':
      return body;
    case 'bearer':
      return `Bearer ${secret}`;
    case 'slice': {
      const start = Math.min(slice.start, body.length - 8);
      return body.slice(start, start + Math.max(8, slice.length));
    }
  }
}
