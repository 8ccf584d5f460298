/**
 * Which failure a network error code names. Node's fetch (undici) gives system codes (`ECONNREFUSED`);
 * a browser's fetch only says "Failed to fetch", so a browser surface looks the request's error up
 * (Chromium's `net::ERR_…`, Firefox's `NS_ERROR_…`, from the webRequest API) and hands it over as the
 * error's `code`. The names are plain strings here: the core still knows nothing of any browser.
 */
export type NetFailureKind = 'dns' | 'refused' | 'reset' | 'tls' | 'blocked' | 'offline';

const DETAILS: Record<NetFailureKind, string> = {
  dns: 'the host name could not be resolved',
  refused: 'nothing is listening at that address',
  reset: 'the connection was closed before the answer was complete',
  tls: "the server's TLS certificate was not accepted",
  blocked: 'the browser refused to send the request',
  offline: 'this computer is offline',
};

const BY_CODE: Record<string, NetFailureKind> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  'net::ERR_NAME_NOT_RESOLVED': 'dns',
  'net::ERR_NAME_RESOLUTION_FAILED': 'dns',
  NS_ERROR_UNKNOWN_HOST: 'dns',
  ECONNREFUSED: 'refused',
  'net::ERR_CONNECTION_REFUSED': 'refused',
  NS_ERROR_CONNECTION_REFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  'net::ERR_CONNECTION_RESET': 'reset',
  'net::ERR_CONNECTION_CLOSED': 'reset',
  'net::ERR_EMPTY_RESPONSE': 'reset',
  NS_ERROR_NET_RESET: 'reset',
  NS_ERROR_NET_INTERRUPT: 'reset',
  'net::ERR_INTERNET_DISCONNECTED': 'offline',
  NS_ERROR_OFFLINE: 'offline',
  'net::ERR_UNSAFE_PORT': 'blocked',
  'net::ERR_BLOCKED_BY_CLIENT': 'blocked',
  'net::ERR_BLOCKED_BY_ADMINISTRATOR': 'blocked',
  NS_ERROR_PORT_ACCESS_NOT_ALLOWED: 'blocked',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
};

const TLS_CODE = /^(CERT_|ERR_TLS|net::ERR_CERT_|net::ERR_SSL_|SEC_ERROR_|SSL_ERROR_|MOZILLA_PKIX_ERROR_)|SSL/;

/** `{ failure, detail }` for a known code, e.g. `ECONNREFUSED: nothing is listening at that address`. */
export function failureOfCode(code: string): { failure: NetFailureKind; detail: string } | undefined {
  const failure = BY_CODE[code] ?? (TLS_CODE.test(code) ? 'tls' : undefined);
  return failure === undefined ? undefined : { failure, detail: `${code}: ${DETAILS[failure]}` };
}
