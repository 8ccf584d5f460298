/**
 * The key a finding points at, read back from the text it was found in. Findings carry no secret by
 * design; verification needs the key for one request, so it is taken from the source again, checked
 * against the finding's fingerprint (so it is exactly the text that was found) and decoded.
 */
import { isKeyShaped } from '../key-format.js';
import { fingerprintSecret, type Finding } from '../scan/index.js';

type Located = Pick<Finding, 'line' | 'column' | 'endLine' | 'endColumn' | 'fingerprint' | 'encoding'>;

function offsetOf(text: string, line: number, column: number): number | undefined {
  let at = 0;
  for (let n = 1; n < line; n++) {
    const nl = text.indexOf('\n', at);
    if (nl === -1) return undefined;
    at = nl + 1;
  }
  return at + column - 1;
}

function decode(found: string, encoding: Located['encoding']): string | undefined {
  try {
    switch (encoding) {
      case 'url':
        return decodeURIComponent(found);
      case 'json':
        return JSON.parse(`"${found}"`) as string;
      case 'base64': {
        const standard = found.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
        return atob(standard + '='.repeat((4 - (standard.length % 4)) % 4));
      }
      default:
        return found;
    }
  } catch {
    return undefined;
  }
}

/** The key at the finding's position in `text`, or undefined when the text there is no longer what was found. */
export async function secretAt(text: string, finding: Located): Promise<string | undefined> {
  const start = offsetOf(text, finding.line, finding.column);
  const end = offsetOf(text, finding.endLine, finding.endColumn);
  if (start === undefined || end === undefined || end <= start) return undefined;
  const found = text.slice(start, end);
  if ((await fingerprintSecret(found)) !== finding.fingerprint) return undefined;
  const key = decode(found, finding.encoding);
  return key !== undefined && isKeyShaped(key) ? key : undefined;
}
