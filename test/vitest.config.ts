import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // These tests spawn git, the CLI and servers; on a loaded 2-core machine a
    // healthy run can exceed vitest's 5 s default. Speed is measured in `pnpm bench`.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
