/**
 * The pre-commit framework's hook (.pre-commit-hooks.yaml, language: node). pre-commit installs it with
 * `npm install` and `npm pack` in this repository, then `npm install -g` of the tarball; the first step
 * needs the registry, so here the tarball is packed from the built tree (scripts skipped: the build has
 * run) and installed offline into an empty prefix, and the hook's entry is run as pre-commit runs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt } from './cli-run.js';
import { cleanupTempDirs, fakeKey, isolatedEnv, makeRepo, tempDir } from './scan-helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Hook {
  id: string;
  entry: string;
  language: string;
  pass_filenames: boolean;
  always_run: boolean;
  stages: string[];
}

let hooks: Hook[];
beforeAll(() => {
  assertCliBuilt();
  const require = createRequire(import.meta.url);
  const yaml = require('js-yaml') as { load(text: string): unknown };
  hooks = yaml.load(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
});
afterAll(cleanupTempDirs);

describe('the pre-commit framework hook', { timeout: 90_000 }, () => {
  it('is a node hook: pre-commit installs the CLI itself, nothing on PATH', () => {
    expect(hooks).toHaveLength(2);
    expect(hooks[1]).toMatchObject({
      id: 'signus-push-guard',
      language: 'node',
      entry: 'signus scan --unpushed',
      pass_filenames: false,
      always_run: true,
      stages: ['pre-push'],
    });
    expect(hooks[0]).toMatchObject({
      id: 'signus-leak-guard',
      language: 'node',
      entry: 'signus scan --staged',
      pass_filenames: false,
      always_run: true,
      stages: ['pre-commit'],
    });
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    // npm (which pre-commit runs) must be able to install the root: workspace: versions need the workspace listed.
    expect(root).toMatchObject({ bin: { signus: 'shared/dist/signus.mjs' }, files: ['shared/dist/signus.mjs'] });
    expect(root.workspaces).toContain('shared');
    expect((root.scripts as Record<string, string>).prepack).toBe('cd shared && node build.mjs');
    expect(root.dependencies).toBeUndefined();
  });

  it('the root package, packed and installed as pre-commit does, gives a signus that blocks a staged key', () => {
    const home = tempDir('signus-precommit-');
    const env = {
      ...isolatedEnv(home),
      npm_config_cache: join(home, 'npm-cache'),
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_update_notifier: 'false',
    };
    const packed = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', home], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    const { filename, files } = (JSON.parse(packed) as { filename: string; files: { path: string }[] }[])[0]!;
    expect(files.map((f) => f.path).sort()).toEqual(['README.md', 'package.json', 'shared/dist/signus.mjs']);
    const prefix = join(home, 'env');
    execFileSync('npm', ['install', '-g', '--offline', '--prefix', prefix, join(home, filename)], {
      env,
      stdio: 'pipe',
    });

    const repo = makeRepo();
    const key = fakeKey();
    repo.write('app.ts', `const key = "${key}";\n`);
    repo.git('add', '.');
    // pre-commit puts the environment's bin first on PATH and runs the entry with its arguments.
    const [command, ...args] = hooks[0]!.entry.split(' ');
    const run = spawnSync(command!, args, {
      cwd: repo.dir,
      env: { ...repo.env, PATH: `${join(prefix, 'bin')}:${repo.env.PATH}` },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('app.ts:1:14');
    expect(run.stdout).not.toContain(key);
  });
});
