// Whether a repository uses Signus by its dependencies: the protection offer is made only where a key can be
// at stake, not in every repository a person opens. The manifests and what counts are data, one row each.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DependencyManifest {
  /** A file at the repository's root. */
  file: string;
  /** Matches a line that declares a Signus package in that file's syntax. */
  declares: RegExp;
}

// `signus` or `@signus/<name>` as a whole package name: `signus-utils` or `mysignus` do not count.
const NPM = /["'](?:@signus\/[\w.-]+|signus)["']\s*:/;
const PY_LINE = /^\s*["']?signus(?:\[[^\]]*\])?\s*(?:[<>=!~;@,"'\s]|$)/m;

export const SIGNUS_DEPENDENCY_MANIFESTS: readonly DependencyManifest[] = [
  { file: 'package.json', declares: NPM },
  { file: 'requirements.txt', declares: PY_LINE },
  { file: 'requirements-dev.txt', declares: PY_LINE },
  { file: 'pyproject.toml', declares: /(?:^|["'\s])signus(?:\[[^\]]*\])?\s*(?:[<>=!~]|["']|=\s*["{])/m },
  { file: 'Pipfile', declares: /^\s*["']?signus["']?\s*=/m },
  { file: 'setup.py', declares: /["']signus(?:\[[^\]]*\])?\s*(?:[<>=!~][^"']*)?["']/ },
  { file: 'go.mod', declares: /^\s*(?:require\s+)?[\w.-]+(?:\/[\w.-]+)*\/signus(?:-go)?(?:\/v\d+)?\s+v\d/m },
  { file: 'Gemfile', declares: /^\s*gem\s+["']signus["']/m },
  { file: 'composer.json', declares: /["']signus\/[\w.-]+["']\s*:/ },
  { file: 'Cargo.toml', declares: /^\s*signus\s*=/m },
];

/** The manifest line that declares Signus, or undefined. Pure, for tests. */
export function declaresSignus(manifest: DependencyManifest, text: string): boolean {
  return manifest.declares.test(text);
}

/** The first manifest at `root` that declares a Signus package, or undefined. */
export async function signusDependency(
  root: string,
  manifests: readonly DependencyManifest[] = SIGNUS_DEPENDENCY_MANIFESTS,
): Promise<string | undefined> {
  for (const manifest of manifests) {
    let text: string;
    try {
      text = await readFile(join(root, manifest.file), 'utf8');
    } catch {
      continue;
    }
    if (declaresSignus(manifest, text)) return manifest.file;
  }
  return undefined;
}
