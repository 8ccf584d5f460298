/**
 * The one detection engine: for each distinct keyword, find every hit with indexOf (fast, fixed text),
 * then run the rules anchored on that keyword, as sticky regexes, at the hit only.
 */
import { RULES, type Rule } from './rules.js';

export interface Candidate {
  rule: Rule;
  offset: number;
  secret: string;
}

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * Whether the characters just before `index` are an escape, so what follows starts a new token even
 * when glued: `%22` (URL), `\u0022` and `\x22` (JSON, Python, Go, C: how logs write quotes and `<`),
 * `\n` (any one-character escape). `codeAt` reads a character code, or NaN before the start; the same
 * test runs on text and on raw bytes.
 */
export function escapeEndsAt(codeAt: (i: number) => number, index: number): boolean {
  if (codeAt(index - 3) === 0x25 /* % */ && isHex(codeAt(index - 2)) && isHex(codeAt(index - 1))) return true;
  if (codeAt(index - 2) === 0x5c /* \ */) return true;
  if (
    codeAt(index - 4) === 0x5c &&
    codeAt(index - 3) === 0x78 /* x */ &&
    isHex(codeAt(index - 2)) &&
    isHex(codeAt(index - 1))
  )
    return true;
  if (codeAt(index - 6) !== 0x5c || codeAt(index - 5) !== 0x75 /* u */) return false;
  for (let i = index - 4; i < index; i++) if (!isHex(codeAt(i))) return false;
  return true;
}

/** `tokensk_` is no key, but `Bearer%20sk_`, `"\nsk_` and `\u0022sk_` (escapes) are. */
function atTokenBoundary(text: string, index: number, boundaryChars: RegExp): boolean {
  if (index === 0) return true;
  if (!boundaryChars.test(text[index - 1] ?? '')) return true;
  return escapeEndsAt((i) => text.charCodeAt(i), index);
}

const byKeyword = new Map<string, Rule[]>();
for (const rule of RULES) byKeyword.set(rule.keyword, [...(byKeyword.get(rule.keyword) ?? []), rule]);

export function findCandidates(text: string, includeKnownOnly: boolean): Candidate[] {
  const out: Candidate[] = [];
  for (const [keyword, allRules] of byKeyword) {
    const rules = includeKnownOnly ? allRules : allRules.filter((r) => r.reportUnknown);
    if (rules.length === 0) continue;
    for (let at = text.indexOf(keyword); at !== -1; at = text.indexOf(keyword, at + 1)) {
      for (const rule of rules) {
        if (rule.boundaryChars && !atTokenBoundary(text, at, rule.boundaryChars)) continue;
        rule.pattern.lastIndex = at;
        const m = rule.pattern.exec(text);
        if (m) out.push({ rule, offset: at, secret: m[0] });
      }
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Cheap test on raw bytes or text: can this content hold anything a rule matches? */
export function mayContainSecret(text: string, includeKnownOnly: boolean): boolean {
  for (const [keyword, rules] of byKeyword) {
    if (!includeKnownOnly && !rules.some((r) => r.reportUnknown)) continue;
    if (text.includes(keyword)) return true;
  }
  return false;
}

/** The keywords to look for in raw bytes before decoding a file at all. */
export function prefilterKeywords(includeKnownOnly: boolean): string[] {
  return [...byKeyword].filter(([, rules]) => includeKnownOnly || rules.some((r) => r.reportUnknown)).map(([k]) => k);
}
