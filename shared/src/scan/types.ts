/** One place where a secret was found. Carries no secret: only its mask and its SHA-256. */
export interface Finding {
  /** 'signus-api-key' (key-shaped) or 'signus-known-key' (one of the user's own keys). */
  ruleId: string;
  /** error = a known key of the user's, warning = key-shaped only. */
  severity: 'error' | 'warning';
  /** Plain language, no secret. */
  message: string;
  /** 1-based; columns count UTF-16 code units, as editors and SARIF's utf16CodeUnits do. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Position of the secret in the scanned text (UTF-16 units). */
  offset: number;
  length: number;
  /** maskSecret(secret). */
  masked: string;
  /** SHA-256 hex of the secret as it appears: what .signusignore and baselines hold. */
  fingerprint: string;
  /** The name of the user's key, when known. */
  knownKeyLabel?: string;
  /** One of the user's keys that an incident confirmed revoked (the revoked-keys file). */
  revoked?: true;
  encoding?: 'plain' | 'base64' | 'url' | 'json';
}

export type Severity = Finding['severity'];
export type SecretEncoding = NonNullable<Finding['encoding']>;
