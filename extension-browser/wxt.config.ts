import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { firstPaintChunks } from './scripts/first-paint-chunks.js';
import { lateHydration } from './scripts/late-hydration.js';
import { noInnerHtml } from './scripts/no-inner-html.js';
import { prerenderPopup } from './scripts/prerender-popup.js';
import { MANIFEST_HOST_PERMISSIONS, OPTIONAL_HOST_PERMISSIONS } from './src/lib/origins.js';

// The popup's form in popup.html itself: its first frame needs no script (scripts/prerender-popup.ts).
const popupForm = prerenderPopup();

export default defineConfig({
  srcDir: 'src',
  outDir: '.output',
  // Explicit imports only: every module says where its names come from.
  imports: false,
  manifest: ({ browser }) => ({
    name: 'Signus Key Tester',
    description: 'Paste a Signus API key and know in a second whether it works.',
    // webRequest: to name why the extension's own test request failed (see src/lib/diagnosing-fetch.ts).
    // No clipboardWrite: navigator.clipboard.writeText works from a click in the extension's pages.
    // scripting: to run the opt-in paste guard on the sites the user names (it grants no host access itself).
    permissions: ['storage', 'contextMenus', 'webRequest', 'scripting'],
    host_permissions: [...MANIFEST_HOST_PERMISSIONS],
    optional_host_permissions: [...OPTIONAL_HOST_PERMISSIONS],
    action: { default_title: 'Test a Signus API key' },
    // Opens the popup from the keyboard; people can change it in the browser's shortcut settings.
    commands: {
      [browser === 'firefox' ? '_execute_browser_action' : '_execute_action']: {
        suggested_key: { default: 'Alt+Shift+K' },
        description: 'Open the Signus key tester',
      },
    },
    ...(browser === 'firefox' && {
      // Firefox's MV2 build takes optional host permissions as optional_permissions.
      optional_permissions: [...OPTIONAL_HOST_PERMISSIONS],
      browser_specific_settings: {
        // data_collection_permissions (which AMO requires) came in Firefox 140, and 142 on Android: the linter
        // checks every key against Android's version too, so 142 (the ESR today is 153).
        // The key the user tests is sent to the API they chose: authentication information. Nothing else
        // leaves the browser (no telemetry, no page content).
        // No gecko_android: Firefox for Android has no context menus and no toolbar popup as this uses them.
        gecko: {
          id: 'key-tester@signus-devtools.example',
          strict_min_version: '142.0',
          data_collection_permissions: { required: ['authenticationInfo'] },
        },
      },
    }),
  }),
  zip: {
    artifactTemplate: 'signus-key-tester-{{version}}-{{browser}}.zip',
    sourcesTemplate: 'signus-key-tester-{{version}}-sources.zip',
    // AMO rebuilds from sources: the extension bundles @signus/shared, so the sources are the workspace
    // less what the extension does not need.
    sourcesRoot: '..',
    excludeSources: [
      '**/node_modules/**',
      '**/.output/**',
      '**/.wxt/**',
      '**/test-results/**',
      '**/dist/**',
      '**/out/**',
      'ci/**',
      'action.yml',
      '.git/**',
      '.ci/**',
      'docs/**',
      'extension-vscode/**',
      'test/corpus/**',
      'test/integration/**',
    ],
  },
  hooks: {
    'build:before': (wxt) => popupForm.render(wxt),
  },
  vite: ({ browser }) => ({
    plugins: [preact(), noInnerHtml(), firstPaintChunks(), popupForm.plugin, lateHydration(browser)],
    // No modulepreload links or preload calls: the pages' modules come from the extension's own files,
    // where a module found while parsing costs no round trip, and the popup's first paint is 0.2 KiB
    // gzip lighter without them (scripts/report-size.mjs).
    build: { modulePreload: false },
  }),
});
