/**
 * Inline allow comments, in whatever comment syntax the file uses:
 *   const demo = 'sk_…'; // signus:allow        (this line)
 *   # signus:allow-next-line                   (the line below)
 */
export const ALLOW_MARKER = 'signus:allow';
export const ALLOW_NEXT_LINE_MARKER = 'signus:allow-next-line';

/** Whether the line [start, end) of text, or the line before it, allows findings on it. */
export function isAllowedByComment(text: string, lineStart: number, lineEnd: number): boolean {
  const line = text.slice(lineStart, lineEnd);
  for (let i = line.indexOf(ALLOW_MARKER); i !== -1; i = line.indexOf(ALLOW_MARKER, i + 1)) {
    if (!line.startsWith(ALLOW_NEXT_LINE_MARKER, i)) return true;
  }
  if (lineStart === 0) return false;
  const prevEnd = lineStart - 1;
  const prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
  return text.slice(prevStart, prevEnd).includes(ALLOW_NEXT_LINE_MARKER);
}
