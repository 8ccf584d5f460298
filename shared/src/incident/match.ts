/**
 * Finds one key's copies in a text: by fingerprint through the scanner (the key and its base64, URL and
 * JSON forms; a fingerprint is enough), and, when the key itself is at hand, through the echo finder too
 * (any letter case, base64 at any alignment such as `Basic base64(user:key)`, percent or JSON escapes of
 * any character, invisible characters inside it), which the scanner cannot know without the key.
 */
import { echoFinder, type EchoFinder } from '../echo-redactor.js';
import { KEY_PREFIX, isKeyShaped } from '../key-format.js';
import { keyInBase64 } from '../scan/fingerprint.js';
import { createKnownKeySet, type KnownKeySet } from '../scan/known-keys.js';
import { LineCursor } from '../scan/position.js';
import { scanTextCounted } from '../scan/scan-text.js';
import { fingerprintSecret } from '../scan/fingerprint.js';
import type { SecretEncoding } from '../scan/types.js';

export type CopyEncoding = SecretEncoding | 'other';

export interface KeyMatch {
  offset: number;
  length: number;
  line: number;
  column: number;
  encoding: CopyEncoding;
}

/** The key an incident is about: its fingerprints always, the key itself only when it is at hand. */
export interface IncidentTarget {
  label: string;
  /** SHA-256 of the key and of its encoded forms (as the known-keys file holds them). */
  fingerprints: readonly string[];
}

/** Up to this many copies are listed per text; more are counted. */
export const MAX_MATCHES_PER_TEXT = 1000;

export class KeyMatcher {
  private readonly knownKeys: KnownKeySet;
  private echo: EchoFinder | undefined;
  private secretValue: string | undefined;

  constructor(readonly target: IncidentTarget) {
    this.knownKeys = createKnownKeySet([{ label: target.label, fingerprints: [...target.fingerprints] }]);
  }

  /** The target's fingerprints as the scanner takes known keys. */
  get knownKeySet(): KnownKeySet {
    return this.knownKeys;
  }

  get hasSecret(): boolean {
    return this.secretValue !== undefined;
  }

  /** The key, once given or read back from a copy; never to be written anywhere. */
  get secret(): string | undefined {
    return this.secretValue;
  }

  useSecret(secret: string): void {
    this.secretValue = secret;
    this.echo = echoFinder(secret);
  }

  /** Every copy in `text`, in order; `counted` holds how many there were in all. */
  find(text: string): { matches: KeyMatch[]; counted: number } {
    const found: Omit<KeyMatch, 'line' | 'column'>[] = [];
    // The scanner honours signus:allow comments; a leaked key is looked for everywhere, so they are
    // neutralised in a copy of the text of the same length.
    const { findings, omitted } = scanTextCounted(text.replace(/signus:allow/gi, 'signus:xxxxx'), {
      knownKeys: this.knownKeys,
      maxFindings: MAX_MATCHES_PER_TEXT,
    });
    for (const f of findings) {
      if (f.knownKeyLabel === undefined) continue;
      found.push({ offset: f.offset, length: f.length, encoding: f.encoding ?? 'plain' });
    }
    if (this.echo && this.secretValue) {
      for (const [start, end] of this.echo(text)) {
        if (found.some((m) => start < m.offset + m.length && m.offset < end)) continue;
        found.push({
          offset: start,
          length: end - start,
          encoding: classify(text.slice(start, end), this.secretValue),
        });
        if (found.length >= MAX_MATCHES_PER_TEXT * 2) break;
      }
    }
    found.sort((a, b) => a.offset - b.offset);
    const cursor = new LineCursor(text);
    const listed = found.slice(0, MAX_MATCHES_PER_TEXT).map((m) => ({ ...m, ...pick(cursor.at(m.offset)) }));
    return { matches: listed, counted: found.length + omitted };
  }

  /**
   * Reads the key back from a copy the scanner found (checked against the fingerprints), so a
   * fingerprint alone leads to the key and every later step (echo forms, replacing, scrubbing) can run.
   */
  async recover(text: string, match: KeyMatch): Promise<string | undefined> {
    const found = text.slice(match.offset, match.offset + match.length);
    const key = decodeCopy(found, match.encoding);
    if (key === undefined || !isKeyShaped(key)) return undefined;
    return this.target.fingerprints.includes(await fingerprintSecret(key)) ? key : undefined;
  }
}

function pick(at: { line: number; column: number }): { line: number; column: number } {
  return { line: at.line, column: at.column };
}

function decodeCopy(found: string, encoding: CopyEncoding): string | undefined {
  try {
    if (encoding === 'url') return decodeURIComponent(found);
    if (encoding === 'json') return JSON.parse(`"${found}"`) as string;
    if (encoding === 'base64') return keyInBase64(found);
    if (encoding === 'plain') return found;
  } catch {
    return undefined;
  }
  return undefined;
}

/** Which form an echo span is in, for the report: the scanner's names where they fit, else `other`. */
function classify(span: string, secret: string): CopyEncoding {
  if (span === secret || span === secret.slice(KEY_PREFIX.length)) return 'plain';
  if (span.includes('%')) return 'url';
  if (span.includes('\\')) return 'json';
  const body = secret.slice(KEY_PREFIX.length).toLowerCase();
  if (/^[A-Za-z0-9+/=_-]+$/.test(span) && !body.includes(span.toLowerCase().slice(0, 8))) return 'base64';
  return 'other';
}
