// Bundles the CLI into one file so a git hook can start it with plain `node`, fast.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const require = createRequire(import.meta.url);

/**
 * `import { readFileSync } from 'node:fs'` in an ES module makes Node build an ES facade of the whole
 * module, which reads every export, getters included: `fs.ReadStream` alone loads the stream modules
 * (~5 ms), `util`'s getters more. Taking builtins from `process.getBuiltinModule` (Node ≥ 20.16) reads
 * only the names the bundle uses: each is a pure call, so esbuild drops the unused ones.
 *
 * Builtins that Node has not loaded by the time it runs a script (child_process, crypto, os, …) are
 * taken lazily as well: loading them all costs more than the hook's whole scan (child_process alone
 * brings net, dgram and the streams), and the hook's path needs none of them. A function is wrapped so
 * that its first call loads the module; an object (`os.constants`) is a proxy that loads it on first read.
 */
const LOADED_AT_START = new Set(['fs', 'path', 'util', 'buffer', 'events', 'process', 'module']);
const builtinsWithoutFacade = {
  name: 'builtins-without-facade',
  setup(b) {
    const builtin = new RegExp(`^(node:.*|${builtinModules.map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter: builtin }, (args) => ({ path: args.path, namespace: 'builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const real = require(args.path);
      const names = Object.getOwnPropertyNames(real).filter(
        (name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default',
      );
      const path = JSON.stringify(args.path);
      if (LOADED_AT_START.has(args.path.replace(/^node:/, ''))) {
        const contents = [
          `const m = process.getBuiltinModule(${path});`,
          'const get = (name) => m[name];',
          'export default m;',
          ...names.map((name) => `export const ${name} = /* @__PURE__ */ get(${JSON.stringify(name)});`),
        ].join('\n');
        return { contents, loader: 'js' };
      }
      const kind = (name) => {
        const type = typeof real[name];
        return type === 'function' ? 'fn' : type === 'object' && real[name] !== null ? 'obj' : 'get';
      };
      const contents = [
        'let m;',
        `const mod = () => (m ??= process.getBuiltinModule(${path}));`,
        'const get = (name) => mod()[name];',
        'const fn = (name) => function (...args) {',
        '  const f = mod()[name];',
        '  return new.target ? Reflect.construct(f, args, new.target) : f.apply(this, args);',
        '};',
        'const obj = (name) => new Proxy({}, { get: (_, key) => mod()[name][key], has: (_, key) => key in mod()[name] });',
        'export default new Proxy({}, { get: (_, key) => mod()[key] });',
        ...names.map((name) => `export const ${name} = /* @__PURE__ */ ${kind(name)}(${JSON.stringify(name)});`),
      ].join('\n');
      return { contents, loader: 'js' };
    });
  },
};

/**
 * A digest of every source file: the scan cache (src/node/scan-cache.ts) trusts what an earlier run
 * found only if that run was this exact build, so any change to a rule or to the engine invalidates it.
 */
function sourceDigest(dir) {
  const hash = createHash('sha256');
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${e.parentPath}/${e.name}`)
    .sort();
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

const define = {
  SIGNUS_VERSION: JSON.stringify(version),
  SIGNUS_ENGINE_ID: JSON.stringify(`${version}-${sourceDigest('src')}`),
};
const common = {
  define,
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [builtinsWithoutFacade],
};

// esbuild escapes non-ASCII in strings but not in regular expressions or comments, and one such character
// makes V8 decode and scan the whole file as two-byte text (~1.5 ms at every start). \uXXXX means the same
// in each of those places, so the file is made ASCII-only; the two cases where it would not are refused.
function asciiOnly(code, name) {
  if (/String\.raw|\\[\u0080-\uffff]/.test(code))
    throw new Error(`${name}: String.raw or an escaped non-ASCII character; cannot make it ASCII-only safely.`);
  return code.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const outfile = 'dist/signus.mjs';
await build({
  ...common,
  entryPoints: ['src/cli/bin.ts'],
  outfile,
  format: 'esm',
  banner: { js: '#!/usr/bin/env node' },
});
writeFileSync(outfile, asciiOnly(readFileSync(outfile, 'utf8'), outfile));
chmodSync(outfile, 0o755);

// The pre-commit hook's file: only the hook's command (src/cli/hook-bin.ts), embedded as text in a small
// CommonJS loader (src/cli/hook-loader.ts) that compiles it with V8's code cache. CommonJS: starting an ES
// module costs node several milliseconds more than a script.
const hookBundle = await build({
  ...common,
  entryPoints: ['src/cli/hook-bin.ts'],
  write: false,
  format: 'iife',
});
const hookSource = asciiOnly(hookBundle.outputFiles[0].text, 'the hook bundle');
if (/\brequire\(|\bimport\(/.test(hookSource)) throw new Error('the hook bundle must not load modules itself.');
const hookFile = 'dist/signus-hook.cjs';
await build({
  ...common,
  entryPoints: ['src/cli/hook-loader.ts'],
  outfile: hookFile,
  format: 'cjs',
  banner: { js: '#!/usr/bin/env node' },
  define: {
    ...define,
    HOOK_SOURCE: JSON.stringify(hookSource),
    HOOK_SOURCE_ID: JSON.stringify(createHash('sha256').update(hookSource).digest('hex').slice(0, 16)),
  },
});
writeFileSync(hookFile, asciiOnly(readFileSync(hookFile, 'utf8'), hookFile));
chmodSync(hookFile, 0o755);

// The same file as an installable npm package (out/signus-cli-<version>.tgz), for CI and other machines.
const { packCli } = await import('./pack-cli.mjs');
packCli();
