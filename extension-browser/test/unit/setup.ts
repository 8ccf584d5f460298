import { configure } from '@testing-library/preact';

// The live region repeats the verdict and hint for screen readers: queries look at what is on screen.
configure({ defaultIgnore: 'script, style, .sr-only' });
