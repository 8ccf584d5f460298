import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The layers of docs/architecture.md, enforced. Each entry names what a layer must not reach for and says why,
// so the lint error itself tells a contributor where the code belongs instead.
const NODE_ONLY = 'Node-only code belongs in shared/src/node (imported as @signus/shared/node).';
const nodeBuiltins = {
  paths: builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ name, message: NODE_ONLY })),
  patterns: [{ group: ['node:*'], message: NODE_ONLY }],
};
const noVscode = { name: 'vscode', message: 'Only extension-vscode/ may import vscode.' };
const browserApis = [
  { name: 'webextension-polyfill', message: 'Only extension-browser/ may use WebExtension APIs.' },
  { name: 'wxt', message: 'Only extension-browser/ may use WXT.' },
];
const browserApiPatterns = [{ group: ['wxt/*', '#imports'], message: 'Only extension-browser/ may use WXT.' }];
const noSharedNode = {
  name: '@signus/shared/node',
  message: 'The browser extension bundles only the browser-safe core (@signus/shared).',
};

const restrictImports = (paths, patterns = []) => ['error', { paths, patterns }];

// Globals a browser-safe core must not touch: Node's process and buffers, and any page or extension API.
const hostGlobals = ['process', 'Buffer', 'global', 'require', 'module', '__dirname', '__filename', 'setImmediate'];
const browserGlobals = ['window', 'document', 'chrome', 'browser', 'localStorage', 'sessionStorage', 'navigator'];
const coreGlobalMessage = 'The core runs in Node, a browser extension and the VS Code host alike: pass it in instead.';
const noHostGlobals = (names) => ['error', ...names.map((name) => ({ name, message: coreGlobalMessage }))];
// `globalThis.process` is the same reach through a back door.
const noGlobalThisProps = (names) => [
  'error',
  ...names.map((property) => ({ object: 'globalThis', property, message: coreGlobalMessage })),
];

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/out/**',
      '**/.output/**',
      '**/.wxt/**',
      '**/.cache/**',
      '**/.vscode-test/**',
      '**/test-results/**',
      // The leak guard's labelled corpus: sample files, kept byte for byte.
      'test/corpus/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },

  // Type-aware rules: a promise nobody awaits loses its error (an unhandled rejection in the extension host,
  // an exit code the CLI never sets). Only these few rules need types, so linting stays quick.
  {
    files: TS_FILES,
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['extension-vscode/vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },

  // Core: shared/src outside node/ and cli/.
  {
    files: ['shared/src/**/*.ts'],
    ignores: ['shared/src/node/**', 'shared/src/cli/**'],
    rules: {
      'no-restricted-imports': restrictImports(
        [...nodeBuiltins.paths, noVscode, ...browserApis],
        [
          ...nodeBuiltins.patterns,
          ...browserApiPatterns,
          {
            regex: '(^|/)(node|cli)(/|$)',
            message: 'The core must not depend on its Node or CLI layers; they depend on it.',
          },
        ],
      ),
      'no-restricted-globals': noHostGlobals([...hostGlobals, ...browserGlobals]),
      'no-restricted-properties': noGlobalThisProps([...hostGlobals, ...browserGlobals]),
    },
  },
  // Node layer and CLI: Node yes, editor and browser no.
  {
    files: ['shared/src/node/**/*.ts', 'shared/src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictImports([noVscode, ...browserApis], browserApiPatterns),
      'no-restricted-globals': noHostGlobals(browserGlobals),
    },
  },
  // The node layer is below the CLI.
  {
    files: ['shared/src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictImports(
        [noVscode, ...browserApis],
        [
          ...browserApiPatterns,
          { regex: '(^|/)cli(/|$)', message: 'The node layer must not depend on the CLI; the CLI depends on it.' },
        ],
      ),
    },
  },
  // VS Code extension: no WebExtension APIs.
  {
    files: ['extension-vscode/src/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictImports(browserApis, browserApiPatterns),
    },
  },
  // Browser extension: core only, never Node or VS Code.
  {
    files: ['extension-browser/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrictImports(
        [...nodeBuiltins.paths, noVscode, noSharedNode],
        [
          ...nodeBuiltins.patterns,
          { group: ['@signus/shared/src/node/*', '**/shared/src/node/*'], message: noSharedNode.message },
        ],
      ),
      'no-restricted-globals': noHostGlobals(['process', 'Buffer', 'global', 'require', '__dirname', '__filename']),
    },
  },
);
