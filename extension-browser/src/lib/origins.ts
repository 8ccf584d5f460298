import { PRODUCTION_BASE_URL } from '@signus/shared';

/**
 * The hosts the manifest asks for at install time: production and the loopback hosts a local
 * emulator runs on. Every other base URL needs an optional host permission, asked for at runtime.
 */
export const MANIFEST_HOST_PERMISSIONS = [
  `${PRODUCTION_BASE_URL}/*`,
  'http://127.0.0.1/*',
  'http://localhost/*',
] as const;

export const OPTIONAL_HOST_PERMISSIONS = ['https://*/*', 'http://*/*'] as const;

/** The match pattern for a base URL's host. Match patterns without a port cover every port. */
export function originPattern(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol}//${url.hostname}/*`;
}

export function hostOf(baseUrl: string): string {
  return new URL(baseUrl).host;
}

/** True when the manifest already grants the base URL's host, so no prompt is needed. */
export function grantedByManifest(baseUrl: string): boolean {
  const pattern = originPattern(baseUrl);
  return (MANIFEST_HOST_PERMISSIONS as readonly string[]).includes(pattern);
}
