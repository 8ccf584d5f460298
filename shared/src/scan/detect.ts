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

/** `tokensk_` is no key, but `Bearer%20sk_` (URL-escaped space) and `"\nsk_` (JSON escape) are. */
function atTokenBoundary(text: string, index: number, boundaryChars: RegExp): boolean {
  if (index === 0) return true;
  if (!boundaryChars.test(text[index - 1] ?? '')) return true;
  if (index >= 3 && text[index - 3] === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(index - 2, index))) return true;
  return index >= 2 && text[index - 2] === '\\';
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
