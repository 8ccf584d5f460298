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

/**
 * A key is never this long, plain or encoded (base64 of a 190-character key is 256): a longer run of
 * key characters is no candidate, so no candidate costs more than this much matching and hashing.
 */
export const MAX_CANDIDATE_LENGTH = 256;

/** Counts the scanner's work, so a test can tell that each candidate costs bounded work. */
export interface WorkMeter {
  /** Characters matched by rule patterns and run scans. */
  scannedChars: number;
  /** SHA-256 computations. */
  hashes: number;
  /** Placeholder and name tests of a candidate's body (each distinct body is tested once per file). */
  verdicts: number;
}

/**
 * How far the run of a rule's tokens after one keyword hit is known to reach. Every later hit inside
 * that run ends where it ends (keywords are made of single-character tokens, so the tokenisation from a
 * later hit lines up with it), so each run is scanned once, however many hits it holds: `sk_sk_sk_…`
 * costs one pass, not one pass per `sk_`.
 */
interface Run {
  frontier: number;
  complete: boolean;
}

/** How far runs of one token reach; shared by the rules with that token (key-shaped and glued). */
interface TokenRun {
  /** Up to MAX_CANDIDATE_LENGTH + 1 tokens, sticky. */
  chunk: RegExp;
  /** One token, sticky. */
  one: RegExp;
  run: Run | undefined;
}

interface RuleState {
  rule: Rule;
  tokenRun: TokenRun;
}

/**
 * Finds candidates window by window (bounded memory on any file), keeping each rule's run state
 * between windows. Windows must be asked for in order.
 */
export class CandidateFinder {
  private readonly keywords: { keyword: string; next: number; states: RuleState[] }[] = [];

  constructor(
    private readonly text: string,
    includeKnownOnly: boolean,
    private readonly meter?: WorkMeter,
  ) {
    for (const [keyword, allRules] of byKeyword) {
      const rules = includeKnownOnly ? allRules : allRules.filter((r) => r.reportUnknown);
      if (rules.length === 0) continue;
      const runs = new Map<string, TokenRun>();
      const states = rules.map((rule) => {
        let tokenRun = runs.get(rule.token);
        if (!tokenRun) {
          tokenRun = {
            chunk: new RegExp(`(?:${rule.token}){0,${MAX_CANDIDATE_LENGTH + 1}}`, 'y'),
            one: new RegExp(`(?:${rule.token})`, 'y'),
            run: undefined,
          };
          runs.set(rule.token, tokenRun);
        }
        return { rule, tokenRun };
      });
      this.keywords.push({ keyword, next: text.indexOf(keyword), states });
    }
  }

  /** Candidates whose keyword starts in [from, to), by offset. */
  between(from: number, to: number): Candidate[] {
    const { text } = this;
    const out: Candidate[] = [];
    for (const k of this.keywords) {
      let at = k.next;
      while (at !== -1 && at < from) at = text.indexOf(k.keyword, at + 1);
      for (; at !== -1 && at < to; at = text.indexOf(k.keyword, at + 1)) {
        // Rules that differ only in context (key-shaped, and glued for known keys) share one match.
        let lastSource = '';
        let lastSecret: string | undefined;
        // A known-only rule's match as long as one already found here is the same text: it is checked
        // once (the earlier rule's encoding names it), so a key costs one candidate, not four.
        const found = out.length;
        for (const state of k.states) {
          const { rule } = state;
          if (rule.boundaryChars && !atTokenBoundary(text, at, rule.boundaryChars)) continue;
          if (this.runLength(state.tokenRun, at, k.keyword.length) > MAX_CANDIDATE_LENGTH) continue;
          let secret: string | undefined;
          if (rule.pattern.source === lastSource) secret = lastSecret;
          else {
            rule.pattern.lastIndex = at;
            // test() and a slice: no match array per hit.
            secret = rule.pattern.test(text) ? text.slice(at, rule.pattern.lastIndex) : undefined;
            if (this.meter) this.meter.scannedChars += secret?.length ?? k.keyword.length;
            lastSource = rule.pattern.source;
            lastSecret = secret;
          }
          if (secret === undefined) continue;
          if (!rule.reportUnknown && sameLengthSince(out, found, secret.length)) continue;
          out.push({ rule, offset: at, secret });
        }
      }
      k.next = at;
    }
    return out.sort((a, b) => a.offset - b.offset);
  }

  /** Length of the keyword and the run of tokens after it at `at`, or more than MAX_CANDIDATE_LENGTH. */
  private runLength(state: TokenRun, at: number, keywordLength: number): number {
    let run = state.run;
    if (!run) run = state.run = { frontier: at + keywordLength, complete: false };
    else if (at >= run.frontier) {
      run.frontier = at + keywordLength;
      run.complete = false;
    }
    while (!run.complete && run.frontier - at <= MAX_CANDIDATE_LENGTH) {
      state.chunk.lastIndex = run.frontier;
      state.chunk.test(this.text);
      const end = state.chunk.lastIndex;
      if (this.meter) this.meter.scannedChars += end - run.frontier + 1;
      state.one.lastIndex = end;
      run.complete = end === run.frontier || !state.one.test(this.text);
      run.frontier = end;
    }
    return run.frontier - at;
  }
}

function sameLengthSince(candidates: Candidate[], from: number, length: number): boolean {
  for (let i = from; i < candidates.length; i++) if (candidates[i]!.secret.length === length) return true;
  return false;
}

/** Every candidate in `text`, by offset. */
export function findCandidates(text: string, includeKnownOnly: boolean, meter?: WorkMeter): Candidate[] {
  return new CandidateFinder(text, includeKnownOnly, meter).between(0, text.length);
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
