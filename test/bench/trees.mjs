// The tree of many small files for the tree-scan benchmark: babel, webpack, eslint, jest and friends
// installed from the npm registry with their dependencies (`npm install --ignore-scripts`, pinned
// top-level versions) into test/bench/.cache/trees/ on demand, never committed:
//   node test/bench/trees.mjs [--force]
// Offline (never fetched), `pnpm bench` generates a stand-in of the same shape instead: ~29k files of a
// few KB of JavaScript lines taken from the workspace's installed packages, and says so.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TREES_DIR = fileURLToPath(new URL('.cache/trees/', import.meta.url));
const SMALL = join(TREES_DIR, 'small-files');

/** Pinned, so two fetches give the same top-level packages (their dependencies follow npm's resolution). */
export const SMALL_FILES_PACKAGES = [
  '@babel/core@7.28.4',
  '@babel/preset-env@7.28.3',
  '@babel/cli@7.28.3',
  '@babel/preset-react@7.27.1',
  '@babel/preset-typescript@7.27.1',
  'webpack@5.101.3',
  'webpack-cli@6.0.1',
  'webpack-dev-server@5.2.2',
  'eslint@9.35.0',
  'eslint-plugin-import@2.32.0',
  'eslint-plugin-react@7.37.5',
  'jest@30.1.3',
  'date-fns@4.1.0',
  'core-js@3.45.1',
];

/** Every regular file under dir (relative, `/`-separated), not following links. */
export function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile()) out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Puts the tree of many small files into `dest`: the fetched packages if there, else the generated
 * stand-in (lines from `sourceDir`'s .js files). Returns its description for the report.
 */
export function smallFilesTree(dest, sourceDir) {
  const fetched = join(SMALL, 'node_modules');
  if (existsSync(join(SMALL, 'FETCHED.json'))) {
    cpSync(fetched, dest, { recursive: true, verbatimSymlinks: true });
    const { fetched: when } = JSON.parse(readFileSync(join(SMALL, 'FETCHED.json'), 'utf8'));
    return {
      generated: false,
      what: `\`npm install --ignore-scripts\` of ${SMALL_FILES_PACKAGES.map((p) => `\`${p}\``).join(', ')} with their dependencies (fetched ${when.slice(0, 10)} by \`node test/bench/trees.mjs\`)`,
    };
  }
  generate(dest, sourceDir);
  return {
    generated: true,
    what: 'generated offline (the npm tree was not fetched: `node test/bench/trees.mjs`): 29,000 files of 1–8 KB of JavaScript lines from the workspace’s installed packages, 40 per directory',
  };
}

/** 29,000 files of 1–8 KB in directories of 40, lines drawn deterministically from real code. */
function generate(dest, sourceDir) {
  const lines = [];
  const collect = (d, depth) => {
    if (lines.length > 200_000) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, e.name);
      if (e.isDirectory() && depth < 12) collect(path, depth + 1);
      else if (e.isFile() && e.name.endsWith('.js')) {
        for (const l of readFileSync(path, 'utf8').split('\n')) if (l.length < 200 && !l.includes('sk_')) lines.push(l);
      }
      if (lines.length > 200_000) return;
    }
  };
  collect(sourceDir, 0);
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 29_000; i++) {
    const dir = join(dest, `pkg-${Math.floor(i / 400)}`, `dir-${Math.floor(i / 40) % 10}`);
    if (i % 40 === 0) mkdirSync(dir, { recursive: true });
    const target = 1024 + (next() % 7168);
    let text = '';
    while (text.length < target) text += `${lines[next() % lines.length]}\n`;
    writeFileSync(join(dir, `file-${i}.js`), text);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--force')) rmSync(SMALL, { recursive: true, force: true });
  mkdirSync(SMALL, { recursive: true });
  writeFileSync(join(SMALL, 'package.json'), '{ "private": true }\n');
  process.stderr.write(`npm install ${SMALL_FILES_PACKAGES.join(' ')}\n`);
  execFileSync(
    'npm',
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', ...SMALL_FILES_PACKAGES],
    { cwd: SMALL, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  writeFileSync(join(SMALL, 'FETCHED.json'), `${JSON.stringify({ fetched: new Date().toISOString() })}\n`);
  const files = listFiles(join(SMALL, 'node_modules'));
  process.stderr.write(`Tree of many small files ready: ${files.length} files in ${SMALL}\n`);
}
