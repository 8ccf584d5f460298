// The incident response's browser-safe parts: where copies hide (data), matching, rewriting, the report.
export * from './locations.js';
export * from './match.js';
export * from './replace.js';
export * from './report.js';
export * from './revoked.js';
