// Live verification of found keys: browser-safe (fetch and Web Crypto only), like the rest of the core.
export {
  verifyKeys,
  labelKeyTest,
  VERIFY_CONCURRENCY,
  VERIFICATION_LABELS,
  type VerificationLabel,
  type KeyVerification,
  type VerifyOptions,
} from './labels.js';
export { accountIdNear, ACCOUNT_ID_WINDOW } from './account-id-near.js';
export { secretAt } from './secret-at.js';
