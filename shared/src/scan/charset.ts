/**
 * A set of ASCII characters as the rules write it once, rendered for each matcher that needs it: a
 * JavaScript character class (the engine), a POSIX bracket expression (git's `-G`, run by the hook) and a
 * byte table (the raw-bytes prefilter). Deriving all three from one value is what keeps them in step.
 */
export interface CharSet {
  /** Every character except `chars` (and white space, when `space`). */
  negated: boolean;
  /** Sorted, distinct ASCII characters. */
  chars: string;
  /** White space (JS `\s`, POSIX `[:space:]`) is excluded; only meaningful when negated. */
  space: boolean;
}

const WHITE_SPACE_BYTES = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Upper case, lower case, digits, then the rest by code: the order people write classes in. */
const rank = (c: string) => (/[A-Z]/.test(c) ? 0 : /[a-z]/.test(c) ? 1 : /[0-9]/.test(c) ? 2 : 3);
const sorted = (chars: Iterable<string>) =>
  [...new Set(chars)].sort((a, b) => rank(a) - rank(b) || a.charCodeAt(0) - b.charCodeAt(0)).join('');

/**
 * The characters of a class body in the plain syntax rules use: literal characters, ranges (`A-Z`) and
 * backslash escapes (`\-`, `\\`). Only ASCII, so one byte is one character in every encoding we read.
 */
export function charsOf(classBody: string): string {
  const out: string[] = [];
  for (let i = 0; i < classBody.length; i++) {
    let c = classBody[i]!;
    if (c === '\\') c = classBody[++i] ?? '\\';
    if (classBody[i + 1] === '-' && i + 2 < classBody.length) {
      const end = classBody[i + 2] === '\\' ? classBody[i + 3]! : classBody[i + 2]!;
      for (let code = c.charCodeAt(0); code <= end.charCodeAt(0); code++) out.push(String.fromCharCode(code));
      i += classBody[i + 2] === '\\' ? 3 : 2;
      continue;
    }
    out.push(c);
  }
  for (const c of out) if (c.charCodeAt(0) > 0x7e) throw new Error(`rule character sets are ASCII, not ${c}`);
  return sorted(out);
}

export const anyOf = (classBody: string): CharSet => ({ negated: false, chars: charsOf(classBody), space: false });
export const noneOf = (classBody: string, space: boolean): CharSet => ({
  negated: true,
  chars: charsOf(classBody),
  space,
});

/** Every character either set holds. */
export function union(a: CharSet, b: CharSet): CharSet {
  if (!a.negated && !b.negated) return { negated: false, chars: sorted(a.chars + b.chars), space: false };
  if (a.negated && b.negated) {
    return { negated: true, chars: sorted([...a.chars].filter((c) => b.chars.includes(c))), space: a.space && b.space };
  }
  const [neg, pos] = a.negated ? [a, b] : [b, a];
  return { negated: true, chars: sorted([...neg.chars].filter((c) => !pos.chars.includes(c))), space: neg.space };
}

const escapeJs = (c: string) => (/[\\\]^-]/.test(c) ? `\\${c}` : c);

/** Runs of consecutive characters written as ranges, as a person would write the class. */
function compact(chars: string, escape: (c: string) => string): string {
  let out = '';
  for (let i = 0; i < chars.length;) {
    let j = i;
    while (j + 1 < chars.length && chars.charCodeAt(j + 1) === chars.charCodeAt(j) + 1) j++;
    const alnumRun = /[A-Za-z0-9]/.test(chars[i]!) && /[A-Za-z0-9]/.test(chars[j]!);
    if (j - i >= 2 && alnumRun) out += `${escape(chars[i]!)}-${escape(chars[j]!)}`;
    else for (let k = i; k <= j; k++) out += escape(chars[k]!);
    i = j + 1;
  }
  return out;
}

/** A JavaScript character class: `[A-Za-z0-9_\-]`, `[^"\\\s]`. */
export function jsClass(set: CharSet): string {
  return set.negated
    ? `[^${compact(set.chars, escapeJs)}${set.space ? '\\s' : ''}]`
    : `[${compact(set.chars, escapeJs)}]`;
}

/**
 * A POSIX bracket expression for git's `-G` (glibc, or git's own regex). Letters and digits are
 * `[:alnum:]`, never a range: a range such as `a-z` depends on the locale's collation, and `[:alnum:]`
 * is at worst a superset (letters beyond ASCII), which a prefilter may be. Inside brackets a backslash is
 * an ordinary character; `]` must come first and `-` last.
 */
export function posixBracket(set: CharSet, extraClass = ''): string {
  let chars = set.chars;
  let classes = extraClass;
  if (!set.negated && [...ALNUM].every((c) => chars.includes(c))) {
    chars = [...chars].filter((c) => !ALNUM.includes(c)).join('');
    classes = `[:alnum:]${classes}`;
  }
  if (set.negated && set.space) classes = `[:space:]${classes}`;
  const close = chars.includes(']') ? ']' : '';
  const dash = chars.includes('-') ? '-' : '';
  const middle = [...chars].filter((c) => c !== ']' && c !== '-' && !(c === '^' && !set.negated)).join('');
  const caret = !set.negated && chars.includes('^') ? '^' : '';
  const body = `${close}${classes}${middle}${caret}${dash}`;
  if (body === '') throw new Error('an empty character set cannot be written as a bracket expression');
  return `[${set.negated ? '^' : ''}${body}]`;
}

/** 1 for each byte the set holds. Bytes past ASCII belong to a negated set (they are not white space). */
export function byteTable(set: CharSet): Uint8Array {
  const table = new Uint8Array(256).fill(set.negated ? 1 : 0);
  for (const c of set.chars) table[c.charCodeAt(0)] = set.negated ? 0 : 1;
  if (set.negated && set.space) for (const b of WHITE_SPACE_BYTES) table[b] = 0;
  return table;
}
