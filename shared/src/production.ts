// Apart from the key's shape (key-format.ts), which re-exports it: a page that only names production's
// host (the browser extension's popup, at first paint) does not load the key patterns with it.
export const PRODUCTION_BASE_URL = 'https://api.signus.ai';
