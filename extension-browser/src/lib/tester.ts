// The lazily loaded half of the popup (see load-tester.ts).
export { requestKeyTest } from './key-request.js';
export { ResultView, resultAnnouncement } from '../ui/ResultView.js';
// Its fingerprint only, for the paste guard to know the key again (paste-guard.ts).
export { rememberTestedKey } from './paste-guard.js';
