// The browser-safe core: only `fetch`, Web Crypto and plain TypeScript. Node-only parts are in ./node.
export * from './key-format.js';
export * from './mask.js';
export * from './key-input.js';
export * from './curl.js';
export * from './http.js';
export * from './preview.js';
export * from './verdict.js';
export * from './endpoints.js';
export * from './key-test.js';
export * from './client.js';
export * from './scan/index.js';
export * from './echo-redactor.js';
export * from './echo-stream.js';
export * from './verify/index.js';
export * from './presentation.js';
export * from './safe-text.js';
export * from './timeout.js';
