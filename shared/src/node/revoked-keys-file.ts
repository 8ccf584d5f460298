import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  parseRevokedKeysFile,
  serializeRevokedKeysFile,
  withRevoked,
  RevokedKeysFileError,
  type RevokedKeyEntry,
} from '../incident/revoked.js';
import { displayName } from '../safe-text.js';
import { defaultKnownKeysPath } from './known-keys-file.js';

/** Beside the known-keys file, whichever that is ($SIGNUS_KNOWN_KEYS or the config directory's). */
export function revokedKeysPath(knownKeysFile: string = defaultKnownKeysPath()): string {
  return join(dirname(knownKeysFile), 'revoked-keys.json');
}

/** The entries, or none when the file does not exist; a bad file throws RevokedKeysFileError naming it. */
export function readRevokedKeys(path: string = revokedKeysPath()): RevokedKeyEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new RevokedKeysFileError(
      `cannot read ${displayName(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
  try {
    return parseRevokedKeysFile(text);
  } catch (error) {
    throw new RevokedKeysFileError(`${displayName(path)}: ${(error as Error).message}`);
  }
}

/** Adds one entry, atomically, mode 0600 (the file tells which keys a user had). */
export function markRevoked(entry: RevokedKeyEntry, path: string = revokedKeysPath()): void {
  const text = serializeRevokedKeysFile(withRevoked(readRevokedKeys(path), entry));
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
  if (process.platform !== 'win32') chmodSync(path, 0o600);
}
