import { describe, expect, it } from 'vitest';
import { previewBody } from '../src/index.js';

describe('previewBody', () => {
  it('pretty-prints JSON with 2 spaces', () => {
    const preview = previewBody('{"payload":{"a":1}}');
    expect(preview.isJson).toBe(true);
    expect(preview.text).toBe('{\n  "payload": {\n    "a": 1\n  }\n}');
    expect(preview.truncated).toBe(false);
  });

  it('cuts at 800 characters of the pretty text and says so', () => {
    const body = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ i })) });
    const preview = previewBody(body);
    expect(preview.text).toHaveLength(800);
    expect(preview.truncated).toBe(true);
    expect(preview.full.startsWith(preview.text)).toBe(true);
  });

  it('shows non-JSON as it came', () => {
    const preview = previewBody('<html>oops</html>');
    expect(preview).toMatchObject({ isJson: false, text: '<html>oops</html>', truncated: false });
  });

  it('never splits a character made of two UTF-16 units', () => {
    const preview = previewBody('😀'.repeat(900));
    expect(Array.from(preview.text)).toHaveLength(800);
    expect(preview.text.endsWith('😀')).toBe(true);
  });

  it('treats an empty body as empty text', () => {
    expect(previewBody('')).toMatchObject({ text: '', isJson: false, truncated: false });
  });
});
