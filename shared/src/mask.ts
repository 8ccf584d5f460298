import { KEY_PREFIX, keyShapedRuns } from './key-format.js';

/** Fixed, so a mask never tells how long the key is. */
export const MASK_BULLETS = '••••••••';
const VISIBLE_TAIL = 4;
/** Below this, showing the last 4 characters would give away too much of the secret. */
const MIN_LENGTH_FOR_TAIL = 16;

/**
 * `sk_••••••••abcd`: enough to tell keys apart, nothing that helps to use one.
 * Input without the `sk_` prefix keeps no prefix, so the mask never invents one.
 */
export function maskSecret(secret: string): string {
  const prefix = secret.startsWith(KEY_PREFIX) ? KEY_PREFIX : '';
  const tail = secret.length >= MIN_LENGTH_FOR_TAIL ? secret.slice(-VISIBLE_TAIL) : '';
  return `${prefix}${MASK_BULLETS}${tail}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Masks, inside any text, every known secret (wherever it stands, even glued to other text) and
 * every key-shaped run (see keyShapedRuns, glued ones included). Meant for logs, error messages, reports
 * and anything else that quotes user input: the one redaction every message goes through.
 */
export function redact(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  const known = knownSecrets.filter((s) => s.length >= 4);
  if (known.length > 0) {
    // Longest first, so a secret that contains another is masked whole.
    const pattern = new RegExp(
      [...known]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    out = out.replace(pattern, (m) => maskSecret(m));
  }
  return maskRuns(out);
}

function maskRuns(text: string): string {
  let out = '';
  let at = 0;
  for (const run of keyShapedRuns(text)) {
    out += text.slice(at, run.index) + maskSecret(run.text);
    at = run.index + run.text.length;
  }
  return at === 0 ? text : out + text.slice(at);
}
