/**
 * `.signusignore`: what a team has decided is not a leak. Two kinds of line, never line numbers
 * (they break on every edit):
 *   - a path glob, in .gitignore syntax (`test/fixtures/**`, `*.snap`, `!keep.ts`);
 *   - a fingerprint, the SHA-256 printed with each finding (64 hex characters, optionally `sha256:`).
 * `#` starts a comment line.
 */
import ignore, { type Ignore } from 'ignore';
import { quoteText, withoutBom } from '../safe-text.js';

export interface IgnoreRules {
  /** Path relative to the scanned root, `/`-separated. */
  isPathIgnored(path: string): boolean;
  readonly fingerprints: ReadonlySet<string>;
  /**
   * false when no path rule exists (isPathIgnored is then always false): a tree scan answering tens of
   * thousands of unchanged files from its cache need not build each path to ask. Absent: unknown.
   */
  readonly hasPathRules?: boolean;
}

export class IgnoreFileError extends Error {
  override readonly name = 'IgnoreFileError';
}

const FINGERPRINT_LINE = /^(?:sha256:)?([0-9a-fA-F]{64})$/;
const LINE_NUMBER_ENTRY = /:\d+(?::\d+)?$/;

export function parseIgnoreFile(text: string, source = '.signusignore'): IgnoreRules {
  const matcher: Ignore = ignore();
  const fingerprints = new Set<string>();
  let pathRules = 0;
  const lines = withoutBom(text).split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fp = FINGERPRINT_LINE.exec(line);
    if (fp?.[1]) {
      fingerprints.add(fp[1].toLowerCase());
      return;
    }
    if (LINE_NUMBER_ENTRY.test(line)) {
      throw new IgnoreFileError(
        `${source}:${i + 1}: ${quoteText(line)} looks like a line number. Line numbers break on every edit: ` +
          'ignore the finding by its fingerprint (printed with it), or the whole file by its path.',
      );
    }
    matcher.add(line);
    pathRules++;
  });
  return {
    fingerprints,
    hasPathRules: pathRules > 0,
    isPathIgnored: (path) => {
      const rel = normalizeRelativePath(path);
      return rel !== undefined && matcher.ignores(rel);
    },
  };
}

export const NO_IGNORE_RULES: IgnoreRules = {
  isPathIgnored: () => false,
  fingerprints: new Set(),
  hasPathRules: false,
};

/** `./a\b.ts` → `a/b.ts`; undefined for paths that can't be relative to the root (absolute, `..`). */
export function normalizeRelativePath(path: string): string | undefined {
  const rel = path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (rel === '' || rel.startsWith('/') || /^[A-Za-z]:\//.test(rel) || rel === '..' || rel.startsWith('../'))
    return undefined;
  return rel;
}
