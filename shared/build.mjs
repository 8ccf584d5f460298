// Bundles the CLI into one file so a git hook can start it with plain `node`, fast.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const outfile = 'dist/signus.mjs';
await build({
  entryPoints: ['src/cli/bin.ts'],
  define: { SIGNUS_VERSION: JSON.stringify(version) },
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
