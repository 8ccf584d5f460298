/**
 * Key or identifier? `sk_` + 20 body characters is also how OpenSSL names its stack functions
 * (`sk_X509_EXTENSION_value`), how the kernel names socket fields (`sk_receive_queue`) and how people
 * alias classes (`sk_RandomForestClassifier`). These filters tell such names from key bodies, from
 * evidence (docs/leak-guard.md: measured on the real-code corpus and on generated random keys).
 *
 * One rule holds above all: a body with a run of 32 or more letters and digits that mixes character
 * classes (what a random 32–48 character base62 key is) is never filtered, whatever surrounds it.
 */

/** What a filter sees: the candidate (`sk_…`) and where it sits in the text. */
export interface FilterInput {
  secret: string;
  text: string;
  offset: number;
}

export interface CandidateFilter {
  id: string;
  description: string;
  /**
   * Only for bodies that are mostly words (isMostlyWords): context alone never drops a random body.
   * The others look at the body only, so the scanner decides them once per distinct candidate.
   */
  mostlyWordsOnly: boolean;
  /** True: this candidate is not a key. */
  rejects(input: FilterInput): boolean;
}

/** Words in a name: an acronym, a capitalised or lower-case word, a number, or a lone capital. */
const TOKEN = /[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]|[0-9]+/g;
const RANDOM_CORE_LENGTH = 32;
/** Names average 3 or more characters a word; random base62 about 2 (docs/leak-guard.md). */
const MAX_NAME_TOKEN_DENSITY = 1 / 3;

const body = (secret: string) => secret.slice(3);

const UPPER = 1;
const LOWER = 2;
const DIGIT = 4;

/** UPPER, LOWER or DIGIT for an ASCII letter or digit, else 0. */
function charClass(c: number): number {
  if (c >= 97 && c <= 122) return LOWER;
  if (c >= 65 && c <= 90) return UPPER;
  return c >= 48 && c <= 57 ? DIGIT : 0;
}

const CLASS_COUNT = [0, 1, 1, 2, 1, 2, 2, 3];

/** Upper, lower, digit: how many of the three classes `s` uses. */
function classCount(s: string): number {
  let classes = 0;
  for (let i = 0; i < s.length; i++) classes |= charClass(s.charCodeAt(i));
  return CLASS_COUNT[classes]!;
}

/**
 * A run of 32+ letters and digits of mixed classes: what a random key body is. Never filtered. The one
 * exception is a run with no digit whose words read as a name (`GradientBoostingRegressorWrapper`): a
 * random base62 run of 32+ has no digit with p = 0.4%. Read as a name with words of 3 characters on
 * average (isName), 1 such run in 900 passed (the pathological benchmark's 255,751 keys lost one), so a run
 * this long must read as words of 5 characters or more (`GradientBoostingRegressorWrapper` has 8): of
 * 26,302 random runs without a digit (6 million keys), 1 did. The real-code corpus has no such run.
 * One pass, no copy unless a run has no digit: it runs on every distinct candidate.
 */
export function hasRandomCore(secret: string): boolean {
  let start = 3;
  let classes = 0;
  for (let i = 3; i <= secret.length; i++) {
    const k = i < secret.length ? charClass(secret.charCodeAt(i)) : 0;
    if (k !== 0) {
      classes |= k;
      continue;
    }
    if (i - start >= RANDOM_CORE_LENGTH && CLASS_COUNT[classes]! >= 2) {
      if (classes & DIGIT || !isLongName(secret.slice(start, i))) return true;
    }
    start = i + 1;
    classes = 0;
  }
  return false;
}

/**
 * One segment of a name: words as a person writes them. Lower-case and capitalised words need a vowel
 * (`value`, `Recipient`, `Or`) unless they are a short abbreviation on their own (`cmp`, `ptr`), acronyms
 * are two or more capitals (`EXTENSION`, `ASN`), a lone capital only before a number (`X509`, `V3`),
 * numbers anywhere.
 */
function isWordy(segment: string): boolean {
  if (!/^[A-Za-z0-9]+$/.test(segment)) return false;
  if (/^[a-z]{2,4}$/.test(segment)) return true; // an abbreviation between underscores: cmp, ptr, msg, xdp
  const tokens = segment.match(TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const c = t.charCodeAt(0);
    if (c >= 48 && c <= 57) continue; // number
    if (t.length >= 2 && t === t.toUpperCase()) continue; // acronym
    if (t.length === 1 && c >= 65 && c <= 90) {
      if (/^[0-9]/.test(tokens[i + 1] ?? '')) continue;
      return false;
    }
    if (t.length >= 2 && /[aeiouy]/i.test(t)) continue;
    return false;
  }
  return true;
}

/** Words per letter or digit: names have 1 in 3 or fewer, random base62 about 1 in 2. */
function tokenDensity(segments: readonly string[]): number {
  let chars = 0;
  let tokens = 0;
  for (const s of segments) {
    chars += s.length;
    tokens += s.match(TOKEN)?.length ?? 0;
  }
  return chars === 0 ? 1 : tokens / chars;
}

/** A run of 32+ letters without a digit that is a name: words, and long ones (1 word in 5 characters or fewer). */
const MAX_LONG_NAME_TOKEN_DENSITY = 1 / 5;
function isLongName(run: string): boolean {
  return isWordy(run) && tokenDensity([run]) <= MAX_LONG_NAME_TOKEN_DENSITY;
}

function isName(segments: readonly string[]): boolean {
  return segments.length > 0 && segments.every(isWordy) && tokenDensity(segments) <= MAX_NAME_TOKEN_DENSITY;
}

const segmentsOf = (secret: string) =>
  body(secret)
    .split(/[_-]/)
    .filter((s) => s.length > 0);

/**
 * Most of the body is words (`SRP_gN_cache_set_cmp_func`): the context filters look only at such
 * bodies, so a random key that happens to sit before `(` or after `int` is still found.
 */
export function isMostlyWords(secret: string): boolean {
  let words = 0;
  let all = 0;
  for (const s of segmentsOf(secret)) {
    all += s.length;
    if (isName([s])) words += s.length;
  }
  return all > 0 && words * 2 >= all;
}

/** `X509_EXTENSION_value`, `receive_queue_length_limit`, `RandomForestClassifier`, `2024_01_15_backup`. */
export function isIdentifierShaped(secret: string): boolean {
  return isName(segmentsOf(secret));
}

/** The text before the candidate on its line, up to 80 characters. */
function before(input: FilterInput): string {
  const from = Math.max(0, input.offset - 80);
  const chunk = input.text.slice(from, input.offset);
  const nl = chunk.lastIndexOf('\n');
  return nl === -1 ? chunk : chunk.slice(nl + 1);
}

/** The text after the candidate, up to 16 characters, spaces and tabs skipped. */
function after(input: FilterInput): string {
  const end = input.offset + input.secret.length;
  return input.text.slice(end, end + 16).replace(/^[ \t]+/, '');
}

/** `sk_…(`, `->sk_…`, `.sk_…`, `::sk_…`, `#define sk_…`, a cast `(sk_…)name`: a function, macro, member or type. */
export function isCallOrMember(input: FilterInput): boolean {
  const a = after(input);
  if (a.startsWith('(')) return true;
  const b = before(input);
  if (b.endsWith('(') && /^\)\s*[A-Za-z_(]/.test(a)) return true;
  return /(?:->|\.|::)$/.test(b) || /^\s*#\s*(?:define|undef|ifdef|ifndef)\s+$/.test(b) || /defined\s*\(?\s*$/.test(b);
}

/**
 * A type or declaring keyword right before the name: C and C++ (`struct sock *sk_…`, `static int sk_…`),
 * Python (`def`, `class`, `import … as`), Rust (`fn`, `let mut`, `pub`), Go (`func`, `var`), JS/TS.
 */
const DECLARATION_BEFORE =
  /(?:^|[\s(,;{*&])(?:(?:struct|union|enum|class)\s+\w+|void|char|short|int|long|unsigned|signed|float|double|bool|s?size_t|_{0,2}[us](?:8|16|32|64)|u?int(?:8|16|32|64)_t|static|inline|extern|const|typedef|def|class|import|as|fn|let|mut|pub|impl|trait|type|func|var|function)[\s*&]*$/;

/** A name being declared: `int sk_…`, `struct sock *sk_…`, `def sk_…`, `fn sk_…`, `sk_… :=`, `… as sk_…`. */
export function isDeclaration(input: FilterInput): boolean {
  if (DECLARATION_BEFORE.test(before(input))) return true;
  const a = after(input);
  return a.startsWith(':=') || (a.startsWith('=') && !a.startsWith('=='));
}

/** One character class (`sk_receivequeuelengthlimit`) or under 3 bits of entropy per character. */
export function hasLowRandomness(secret: string): boolean {
  const b = body(secret).replace(/[_-]/g, '');
  return classCount(b) === 1 || shannonEntropy(b) < 3;
}

const asciiCounts = new Int32Array(128);

/** Bits per character. ASCII (every key body) is counted in a table, without a Map. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return shannonEntropyOfAny(text);
  asciiCounts.fill(0);
  for (let i = 0; i < text.length; i++) asciiCounts[text.charCodeAt(i)]!++;
  let bits = 0;
  for (const c of asciiCounts) {
    if (c === 0) continue;
    const p = c / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function shannonEntropyOfAny(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const c of counts.values()) {
    const p = c / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Applied after the random-core guard; any one that rejects drops the candidate. */
export const CANDIDATE_FILTERS: readonly CandidateFilter[] = [
  {
    id: 'identifier-shaped',
    description: 'words joined by _ or in CamelCase, upper or lower case, any length',
    mostlyWordsOnly: false,
    rejects: ({ secret }) => isIdentifierShaped(secret),
  },
  {
    id: 'low-randomness',
    description: 'one character class, or under 3 bits of entropy per character',
    mostlyWordsOnly: false,
    rejects: ({ secret }) => hasLowRandomness(secret),
  },
  {
    id: 'call-or-member',
    description: 'followed by (, after ->, ., :: or #define, or a cast (sk_…)name',
    mostlyWordsOnly: true,
    rejects: isCallOrMember,
  },
  {
    id: 'declaration',
    description: 'a name declared in C/C++, Python, Rust, Go or JS (int sk_…, def sk_…, sk_… :=)',
    mostlyWordsOnly: true,
    rejects: isDeclaration,
  },
];

/** What the body alone says; `context` when only the text around each occurrence can tell. */
export type BodyVerdict = 'key' | 'name' | 'context';

/**
 * The part of isNonKey that depends on the body only, so the scanner decides it once per distinct
 * candidate. Cheapest and most telling first: a random core settles it for nearly every real key.
 */
export function bodyVerdict(secret: string): BodyVerdict {
  if (hasRandomCore(secret)) return 'key';
  const bodyOnly = { secret, text: secret, offset: 0 };
  for (const filter of CANDIDATE_FILTERS) if (!filter.mostlyWordsOnly && filter.rejects(bodyOnly)) return 'name';
  return isMostlyWords(secret) ? 'context' : 'key';
}

/** For a body whose verdict is `context`: whether a context filter (call, member, declaration) rejects it here. */
export function rejectedByContext(input: FilterInput): boolean {
  for (const filter of CANDIDATE_FILTERS) if (filter.mostlyWordsOnly && filter.rejects(input)) return true;
  return false;
}

/** The candidate is a name, not a key: no random core, and some filter rejects it. */
export function isNonKey(input: FilterInput): boolean {
  const verdict = bodyVerdict(input.secret);
  return verdict === 'name' || (verdict === 'context' && rejectedByContext(input));
}
