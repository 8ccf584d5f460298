import { describe, expect, it } from 'vitest';
import { decodeText, sniffEncoding } from '../src/index.js';

const le = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
const be = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le').swap16());
const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))));

describe('sniffEncoding and decodeText', () => {
  it('reads byte-order marks, and drops them from the text', () => {
    expect(decodeText(bytes([0xef, 0xbb, 0xbf], 'a=1\n'))).toEqual({ binary: false, text: 'a=1\n', encoding: 'utf-8' });
    expect(decodeText(bytes([0xff, 0xfe], [...le('sk_x\r\n')]))).toMatchObject({
      text: 'sk_x\r\n',
      encoding: 'utf-16le',
    });
    expect(decodeText(bytes([0xfe, 0xff], [...be('é\n')]))).toMatchObject({ text: 'é\n', encoding: 'utf-16be' });
  });

  it('tells UTF-16 without a byte-order mark from its NUL pattern', () => {
    expect(sniffEncoding(le('line one\nkey = value\n'))).toBe('utf-16le');
    expect(sniffEncoding(be('line one\nkey = value\n'))).toBe('utf-16be');
  });

  it('keeps text with a stray NUL past the first line as text', () => {
    expect(sniffEncoding(bytes('header\nvalue', [0], 'rest of a long enough line of text\n'))).toBe('utf-8');
  });

  it('calls binary a NUL on the first line, or a sample that is mostly control bytes', () => {
    expect(sniffEncoding(bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], '\nsk_'))).toBe('binary');
    expect(sniffEncoding(bytes('x\n', [0, 1, 2, 3, 0, 5, 6, 0, 8, 0, 0, 0]))).toBe('binary');
  });

  it('plain UTF-8 is UTF-8', () => {
    expect(decodeText(bytes('const a = 1;\n'))).toEqual({ binary: false, text: 'const a = 1;\n', encoding: 'utf-8' });
  });
});
