/**
 * dist/signus-hook.cjs, what the pre-commit hook runs for `scan --staged --diff-stdin` (hook.ts). Node
 * compiles a script's functions anew on every start; on the hook's path that was most of what node did
 * beyond starting. This file holds the hook's bundle (hook-bin.ts) as text and compiles it with V8's code
 * cache: the code of every function the first run compiled is kept in the user's cache directory and
 * handed back to V8 on later runs. The cache file is named by the bundle's digest, the node version and
 * the CPU; V8 refuses data from another V8 or other flags, and the file is then written again. Nothing
 * depends on the cache: unreadable, missing or refused, the bundle is compiled as usual.
 * SIGNUS_CODE_CACHE=0 turns it off. Any other arguments run the whole CLI (signus.mjs beside this file).
 */
declare const HOOK_SOURCE: string;
declare const HOOK_SOURCE_ID: string;

const fs = process.getBuiltinModule('node:fs');
const path = process.getBuiltinModule('node:path');
const HOOK_ARGS = ['scan', '--staged', '--diff-stdin'];

/** $XDG_CACHE_HOME/signus (~/.cache/signus), ~/Library/Caches/signus, %LOCALAPPDATA%\signus; else none. */
function codeCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  if (env.SIGNUS_CODE_CACHE === '0') return undefined;
  if (platform === 'win32') return env.LOCALAPPDATA ? path.join(env.LOCALAPPDATA, 'signus', 'cache') : undefined;
  if (platform !== 'darwin' && env.XDG_CACHE_HOME?.startsWith('/')) return path.join(env.XDG_CACHE_HOME, 'signus');
  if (!env.HOME?.startsWith('/')) return undefined;
  return path.join(env.HOME, ...(platform === 'darwin' ? ['Library', 'Caches'] : ['.cache']), 'signus');
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * How many builds' caches are kept. Each upgrade of the CLI, or of the VS Code extension that carries one,
 * names a new file; two or three installs may be in use at once (the extension's, a global one, a
 * project's), and each would throw the others' away if only one were kept.
 */
const KEPT_CACHES = 4;
const CACHE_NAME = /^hook-[0-9a-f]{16}-.+\.v8cache$/;

/** Written whole under a temporary name and renamed, so a concurrent commit never reads half of it. */
function writeCache(dir: string, file: string, data: Buffer): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, data, { mode: 0o600 });
    fs.renameSync(temporary, file);
    pruneCaches(dir, file);
  } catch {
    // A read-only or full disk: the next run compiles as this one did.
  }
}

/** Only on a write (a new build's first commit): the oldest caches past KEPT_CACHES go. */
function pruneCaches(dir: string, current: string): void {
  const caches = fs
    .readdirSync(dir)
    .filter((name) => CACHE_NAME.test(name))
    .map((name) => path.join(dir, name))
    .filter((file) => file !== current)
    .map((file) => ({ file, mtime: fs.statSync(file).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { file } of caches.slice(KEPT_CACHES - 1)) fs.rmSync(file, { force: true });
}

function runHook(): void {
  const vm = process.getBuiltinModule('node:vm');
  const dir = codeCacheDir(process.env, process.platform);
  const file = dir && path.join(dir, `hook-${HOOK_SOURCE_ID}-${process.version}-${process.arch}.v8cache`);
  const cachedData = file ? readOrUndefined(file) : undefined;
  const script = new vm.Script(HOOK_SOURCE, { filename: `${__filename}/hook-bin.js`, cachedData });
  if (dir && file && (cachedData === undefined || script.cachedDataRejected === true)) {
    // After the run, so the data holds every function the run compiled, not only the top level.
    process.once('exit', () => writeCache(dir, file, script.createCachedData()));
  }
  script.runInThisContext();
}

const args = process.argv.slice(2);
if (args.length === HOOK_ARGS.length && args.every((a, i) => a === HOOK_ARGS[i])) runHook();
else void import(process.getBuiltinModule('node:url').pathToFileURL(path.join(__dirname, 'signus.mjs')).href);
