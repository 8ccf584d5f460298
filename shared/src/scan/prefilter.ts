/**
 * The rules' test on raw bytes, generated from RULES (rules.ts): so a file is decoded only when it may
 * hold a finding. For each keyword, a table of the bytes its rules' tokens can hold and how many of them
 * must follow, and, when every rule on that keyword needs a token boundary, the bytes that may not come
 * just before it (`task_`, `disk_` are common in code). Known-only rules widen the tables.
 */
import { byteTable } from './charset.js';
import { keywordSummaries } from './rules.js';

export interface ByteRule {
  keyword: string;
  /** 1 for each byte that may follow the keyword. */
  body: Uint8Array;
  /** How many such bytes must follow it. */
  minBody: number;
  /** 1 for each byte that, just before the keyword, rules it out (unless an escape ends there). */
  glued?: Uint8Array;
}

const cache = new Map<boolean, readonly ByteRule[]>();

export function byteRules(includeKnownOnly: boolean): readonly ByteRule[] {
  let rules = cache.get(includeKnownOnly);
  if (!rules) {
    rules = keywordSummaries(includeKnownOnly).map((k) => ({
      keyword: k.keyword,
      body: byteTable(k.chars),
      minBody: k.minTokens,
      ...(k.boundary && { glued: byteTable(k.boundary) }),
    }));
    cache.set(includeKnownOnly, rules);
  }
  return rules;
}
