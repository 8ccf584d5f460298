/** How much of the body the app's "Test API key" dialog shows. */
export const PREVIEW_CHARS = 800;

export interface BodyPreview {
  /** The first 800 characters: pretty-printed JSON (2 spaces) when the body parses, else the raw text. */
  text: string;
  /** The shown text was cut at 800 characters. */
  truncated: boolean;
  isJson: boolean;
  /** The full pretty-printed JSON, or the raw text: what "Copy full JSON" copies. */
  full: string;
  /** How many characters `full` has (code points): the M of "first 800 of M characters". */
  fullChars: number;
}

/**
 * `redact` runs on the whole formatted text before it is cut, so the preview is a prefix of what
 * "Copy full JSON" copies and no key is cut in half at the 800th character.
 */
export function previewBody(
  bodyText: string,
  limit = PREVIEW_CHARS,
  redact: (text: string) => string = (text) => text,
): BodyPreview {
  let full = bodyText;
  let isJson = false;
  if (bodyText.trim() !== '') {
    try {
      full = JSON.stringify(JSON.parse(bodyText), null, 2);
      isJson = true;
    } catch {
      // Not JSON: shown as it came.
    }
  }
  full = redact(full);
  const chars = Array.from(full);
  const truncated = chars.length > limit;
  // Cut by code points, not UTF-16 units, so an emoji is never split in half.
  const text = truncated ? chars.slice(0, limit).join('') : full;
  return { text, truncated, isJson, full, fullChars: chars.length };
}
