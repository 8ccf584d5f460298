// What the popup needs once someone types, pastes or presses Test, and not to paint its form: the core's
// field checks and the permission step before a test. Fetched right after first paint (load-tester.ts).
export { maskSecret, parseAccountId, parseApiKeyInput, parseBaseUrl } from '@signus/shared';
export { runKeyTest } from './run-key-test.js';
