import { loadPopupActions } from '../../src/lib/load-tester.js';
import { configure } from '@testing-library/preact';

// The live region repeats the verdict and hint for screen readers: queries look at what is on screen.
configure({ defaultIgnore: 'script, style, .sr-only' });

// The popup's field checks and test start load after its first paint (src/lib/load-tester.ts); the component tests
// start from a popup that has them, as a person does a moment after it opens.
await loadPopupActions();
