// The lazily loaded half of the popup (see load-tester.ts).
export { requestKeyTest } from './key-request.js';
export { ResultView, resultAnnouncement } from '../ui/ResultView.js';
