// The emulator is bundled so `pnpm emulator` and other packages' tests can start it with plain `node`.
import { build } from 'esbuild';

await build({
  entryPoints: { emulator: 'emulator/cli.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
