/**
 * Text from a server, made inert for a terminal. Every control character except newline and tab — ESC
 * (which starts colour codes, screen clears, OSC 52 clipboard writes and OSC 8 hyperlinks), the other C0
 * controls, DEL, the C1 controls (U+0080–U+009F, where U+009B is a one-character CSI) — and the bidi
 * controls that reorder what is shown, is written as a visible escape such as `\x1b`. Visible rather
 * than removed: what the server sent stays readable, and no two harmless halves join into a sequence.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
