import { echoFinder, echoMask } from './echo-redactor.js';

/**
 * Masks one key in a stream of text that arrives in pieces (a child program's output), in every form
 * `echoFinder` knows: literal, another letter case, without `sk_`, JSON-escaped, URL-encoded, base64.
 *
 * `write` returns what can be shown now; it holds back only the tail that could still turn out to be part
 * of the key (a run of characters a key or its encodings are made of), so a prompt or a progress line
 * shows at once. `flush` gives the held tail, masked as far as it can tell: the caller calls it when the
 * stream ends, and when output pauses, so nothing waits for more output that may never come. A key split
 * across a pause shows at most the characters before the pause that are too few to tell from chance
 * (`ECHO_RUN` − 1); everything after is masked.
 *
 * Text is handled as given: a caller that wants bytes kept exactly passes them as latin1 (one character
 * a byte). Every form of a key is ASCII, so matching is the same.
 */
export interface EchoStream {
  write(text: string): string;
  flush(): string;
}

/** Already shown text kept for context: an encoded 8-character run of the key is at most 48 characters. */
const CONTEXT = 64;
/** The longest tail held back. */
const HOLD = 64;

export function echoStream(secret: string): EchoStream {
  const find = echoFinder(secret);
  /** The end of what was already shown, kept so a key split across two writes is still found whole. */
  let context = '';
  let pending = '';
  /** The last thing shown was a mask that reached the end: a key that goes on is still that one key. */
  let maskOpen = false;

  const emit = (final: boolean): string => {
    const text = context + pending;
    const base = context.length;
    const spans = find(text);
    let cut = final ? text.length : Math.max(base, text.length - Math.min(HOLD, keyishTail(text)));
    for (const [start, end] of spans) {
      if (start < cut && end > cut && !final) cut = Math.max(base, start);
    }
    let out = '';
    let at = base;
    let endedInMask = maskOpen && cut === base;
    for (const [start, end] of spans) {
      if (end <= base || end <= at) continue;
      if (start >= cut) break;
      const from = Math.max(start, base);
      const to = Math.min(end, cut);
      out += text.slice(at, from);
      const continues = start < base && maskOpen && at === base;
      if (!continues) out += echoMask(text.slice(start, end), secret);
      at = to;
      endedInMask = to === cut;
    }
    if (at < cut) {
      out += text.slice(at, cut);
      endedInMask = false;
    }
    maskOpen = endedInMask;
    context = text.slice(Math.max(0, cut - CONTEXT), cut);
    pending = text.slice(cut);
    return out;
  };

  return {
    write(text) {
      pending += text;
      return emit(false);
    },
    flush() {
      return pending ? emit(true) : '';
    },
  };
}

/** How many characters at the end could belong to a key or to one of its encodings. */
function keyishTail(text: string): number {
  let n = 0;
  for (let i = text.length - 1; i >= 0 && n < HOLD; i--, n++) {
    if (!isKeyish(text.charCodeAt(i))) break;
  }
  return n;
}

function isKeyish(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || // 0-9
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    code === 45 || // -
    code === 95 || // _
    code === 43 || // + (base64)
    code === 47 || // / (base64, and JSON's \/)
    code === 61 || // = (base64 padding)
    code === 37 || // % (URL encoding)
    code === 92 || // \ (JSON escapes)
    code < 0x20 || // controls and line breaks, which can split a key that still shows whole
    (code >= 0x7f && code <= 0x9f) ||
    code === 0xad ||
    code === 0x61c ||
    code === 0x180e ||
    (code >= 0x200b && code <= 0x200f) || // zero-width and bidi marks
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x206f) ||
    code === 0xfeff
  );
}
