import { defineConfig } from 'vitest/config';

// Unit tests of the logic kept outside VS Code. The extension-host tests (test/host) run through vscode-test.
export default defineConfig({
  test: { include: ['test/unit/**/*.test.ts'] },
});
