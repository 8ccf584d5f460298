/**
 * Says whether any run of 8 or more characters of a key's body can be read out of a text, in any of
 * the forms the core promises to catch. Written independently of the core's redactor, and simply
 * (decode everything every way, then look), so that the two do not share a mistake.
 */

const RUN = 8;

export interface Leak {
  form: string;
  run: string;
}

export function findKeyLeak(output: string, secret: string): Leak | undefined {
  const body = secret.replace(/^sk_/, '');
  const literal = anyOf(grams(body.toLowerCase()));
  const exact = anyOf(grams(body));
  const seen = new Set<string>();
  for (const [form, text] of decodings(output)) {
    if (seen.has(text)) continue;
    seen.add(text);
    const found = literal.exec(text.toLowerCase());
    if (found) return { form, run: found[0] };
    for (const decoded of base64Decodings(text)) {
      const inBase64 = exact.exec(decoded);
      if (inBase64) return { form: `base64 in ${form}`, run: inBase64[0] };
    }
  }
  return undefined;
}

/** One regular expression for a list of strings: much faster than a search for each on megabytes. */
function anyOf(needles: string[]): RegExp {
  return new RegExp(needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}

/** Throws with the form and a masked hint of where, never the run itself in full. */
export function assertNoKeyLeak(output: string, secret: string, where: string): void {
  const leak = findKeyLeak(output, secret);
  if (leak) {
    throw new Error(
      `${where}: ${leak.run.length} characters of the key (${leak.run.slice(0, 2)}…) can be read as ${leak.form}`,
    );
  }
}

function grams(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + RUN <= text.length; i++) out.push(text.slice(i, i + RUN));
  return out;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

function decodings(output: string): [string, string][] {
  const json = output
    .replace(/\\u([0-9a-fA-F]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\([bfnrt])/g, (_m, c: string) => ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' })[c] ?? c)
    // Any other escaped character stands for itself, except a `\u` left without its four hex digits: that is
    // no character at all (JSON has no such escape), only the start of one cut short by a pause.
    .replace(/\\([^u])/g, '$1');
  const url = (text: string): string =>
    text.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  const forms: [string, string][] = [
    ['text', output],
    ['JSON-unescaped text', json],
    ['URL-decoded text', url(output)],
    ['URL-decoded JSON-unescaped text', url(json)],
  ];
  return forms.flatMap(([form, text]) => [
    [form, text],
    [`${form} without invisible characters`, text.replace(INVISIBLE, '')],
  ]);
}

/** Every base64 run, decoded from each of its first 4 characters, as Latin-1 text. */
function base64Decodings(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/[A-Za-z0-9+/_-]{8,}/g)) {
    const run = match[0].replace(/-/g, '+').replace(/_/g, '/');
    for (let offset = 0; offset < 4; offset++) {
      const part = run.slice(offset);
      const usable = part.slice(0, part.length - (part.length % 4));
      if (usable.length >= 8) out.push(Buffer.from(usable, 'base64').toString('latin1'));
    }
  }
  return out;
}
