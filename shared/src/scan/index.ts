// The leak scanner's browser-safe engine. Node-only parts (files, git, hooks) are in ../node.
export type { Finding, Severity, SecretEncoding } from './types.js';
export {
  scanText,
  scanTextCounted,
  MAX_FINDINGS_PER_FILE,
  type ScanTextOptions,
  type TextScanResult,
} from './scan-text.js';
export { fingerprintSecret, knownKeyFingerprints, encodedForms } from './fingerprint.js';
export {
  parseKnownKeysFile,
  serializeKnownKeysFile,
  createKnownKeySet,
  withRevokedKeys,
  EMPTY_KNOWN_KEYS,
  KNOWN_KEYS_FILE_VERSION,
  KnownKeysFileError,
  type KnownKeySet,
  type KnownKeyEntry,
} from './known-keys.js';
export {
  parseIgnoreFile,
  normalizeRelativePath,
  NO_IGNORE_RULES,
  IgnoreFileError,
  type IgnoreRules,
} from './ignore-rules.js';
export {
  createBaseline,
  parseBaseline,
  serializeBaseline,
  isInBaseline,
  BaselineFileError,
  type Baseline,
  type BaselineEntry,
} from './baseline.js';
export { isPlaceholderKey } from './placeholder.js';
export {
  CANDIDATE_FILTERS,
  hasRandomCore,
  isNonKey,
  isIdentifierShaped,
  isMostlyWords,
  shannonEntropy,
  type CandidateFilter,
  type FilterInput,
} from './filters.js';
export { ALLOW_MARKER, ALLOW_NEXT_LINE_MARKER } from './allow.js';
export { prefilterKeywords, escapeEndsAt, MAX_CANDIDATE_LENGTH, type WorkMeter } from './detect.js';
export { sha256Hex } from './sha256.js';
export { decodeText, looksBinary, sniffEncoding, SNIFF_BYTES, type Decoded, type TextEncodingName } from './decode.js';
export {
  RULES,
  RULE_METADATA,
  ruleMetadata,
  SHAPE_RULE_ID,
  KNOWN_RULE_ID,
  CANDIDATE_LINE_ERE,
  type Rule,
  type RuleMetadata,
} from './rules.js';
export { byteRules, type ByteRule } from './prefilter.js';
export { maskedSnippet } from './snippet.js';
