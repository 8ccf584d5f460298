import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  parseKnownKeysFile,
  serializeKnownKeysFile,
  KnownKeysFileError,
  type KnownKeyEntry,
  type KnownKeySet,
} from '../scan/index.js';

/** The per-user signus config directory: on Windows %APPDATA%\signus; else $XDG_CONFIG_HOME/signus, defaulting to ~/.config/signus. */
export function signusConfigDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(env.USERPROFILE ?? homedir(), 'AppData', 'Roaming'), 'signus');
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/')
      ? env.XDG_CONFIG_HOME
      : join(env.HOME ?? homedir(), '.config');
  return join(base, 'signus');
}

/** Where the known-keys file lives: SIGNUS_KNOWN_KEYS if set, else known-keys.json in signusConfigDir. */
export function defaultKnownKeysPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  return env.SIGNUS_KNOWN_KEYS || join(signusConfigDir(env, platform), 'known-keys.json');
}

/** The secret that signs the tree scan's rescan caches (scan-cache.ts): the user's, never in a repository. */
export function scanCacheKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(signusConfigDir(env), 'scan-cache.key');
}

/**
 * Reads the known-keys file. With no path, the default file is optional (undefined when missing);
 * a path given explicitly must exist. A bad file throws KnownKeysFileError naming the file.
 */
export function readKnownKeys(path?: string): KnownKeySet | undefined {
  const file = path ?? defaultKnownKeysPath();
  if (path === undefined && !existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KnownKeysFileError(
      `cannot read the known-keys file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
  try {
    return parseKnownKeysFile(text);
  } catch (error) {
    throw new KnownKeysFileError(`${file}: ${(error as Error).message}`);
  }
}

/** Writes atomically (temporary file, then rename) with mode 0600: the file tells which keys a user has. */
export function writeKnownKeys(entries: readonly KnownKeyEntry[], path: string = defaultKnownKeysPath()): void {
  const text = serializeKnownKeysFile(entries);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
  if (process.platform !== 'win32') chmodSync(path, 0o600);
}
