/**
 * A baseline lets a team adopt the guard on a repository that already has findings: it records each
 * existing finding by path, rule and fingerprint (never line numbers), and later scans report only
 * what is not in it. It holds no secret.
 */
import { jsonErrorText, withoutBom } from '../safe-text.js';
import type { Finding } from './types.js';

export interface BaselineEntry {
  path: string;
  ruleId: string;
  fingerprint: string;
}

export interface Baseline {
  version: 1;
  tool: 'signus';
  findings: BaselineEntry[];
}

export class BaselineFileError extends Error {
  override readonly name = 'BaselineFileError';
}

export function createBaseline(
  findings: readonly (Pick<Finding, 'ruleId' | 'fingerprint'> & { path: string })[],
): Baseline {
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const f of findings) {
    const key = baselineKey(f.path, f.fingerprint);
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ path: f.path, ruleId: f.ruleId, fingerprint: f.fingerprint });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.fingerprint < b.fingerprint ? -1 : 1));
  return { version: 1, tool: 'signus', findings: entries };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

export function parseBaseline(text: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(withoutBom(text));
  } catch (error) {
    throw new BaselineFileError(`the baseline is not valid JSON (${jsonErrorText(error)}).`);
  }
  const b = data as Partial<Baseline> | null;
  if (!b || typeof b !== 'object' || b.version !== 1 || !Array.isArray(b.findings)) {
    throw new BaselineFileError(
      'the baseline must be {"version": 1, "tool": "signus", "findings": [...]}, as --write-baseline writes it.',
    );
  }
  b.findings.forEach((e, i) => {
    if (
      !e ||
      typeof e.path !== 'string' ||
      typeof e.fingerprint !== 'string' ||
      !/^[0-9a-f]{64}$/.test(e.fingerprint)
    ) {
      throw new BaselineFileError(`baseline findings[${i}] needs a "path" and a 64-hex "fingerprint".`);
    }
  });
  return b as Baseline;
}

/** A finding is in the baseline when the same secret was already in the same file. */
export function isInBaseline(baseline: Baseline, path: string, fingerprint: string): boolean {
  let keys = cache.get(baseline);
  if (!keys) {
    keys = new Set(baseline.findings.map((e) => baselineKey(e.path, e.fingerprint)));
    cache.set(baseline, keys);
  }
  return keys.has(baselineKey(path, fingerprint));
}

const cache = new WeakMap<Baseline, Set<string>>();

function baselineKey(path: string, fingerprint: string): string {
  return `${path.replace(/\\/g, '/')}\u0000${fingerprint}`;
}
