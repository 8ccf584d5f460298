/** What the repository points at: refs (tags peeled to commits), stash entries, HEAD, remotes, shallow. */
import { git, tryGitText } from '../git.js';

export interface RefTip {
  /** refs/heads/main, refs/tags/v1, refs/remotes/origin/main, stash@{0}, HEAD (when detached). */
  name: string;
  /** The commit it points at (an annotated tag peeled). */
  commit: string;
  remote?: string;
}

export interface RepoState {
  /** The work tree's top, or the git directory of a bare repository. */
  top: string;
  bare: boolean;
  head: string | null;
  refs: RefTip[];
  /** Annotated tags: the ref and the tag object it points at (whose message a history scan reads). */
  tags: { name: string; object: string }[];
  remotes: string[];
  /** Commits whose parents this clone does not have (a shallow clone's boundary). */
  shallow: Set<string>;
  partialClone: boolean;
}

export async function readRepoState(cwd: string): Promise<RepoState> {
  const bare = (await tryGitText(['rev-parse', '--is-bare-repository'], cwd)) === 'true';
  const top = bare
    ? ((await tryGitText(['rev-parse', '--absolute-git-dir'], cwd)) ?? cwd)
    : ((await tryGitText(['rev-parse', '--show-toplevel'], cwd)) ?? cwd);
  const [head, symbolic, remotesText, refsOut, stashText, shallowText, partial] = await Promise.all([
    tryGitText(['rev-parse', '--verify', '-q', 'HEAD^{commit}'], cwd),
    tryGitText(['symbolic-ref', '-q', 'HEAD'], cwd),
    tryGitText(['remote'], cwd),
    git(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(*objectname)%00%(objecttype)%00%(*objecttype)'], cwd),
    tryGitText(['reflog', 'show', '--format=%H', 'refs/stash', '--'], cwd),
    tryGitText(['rev-parse', '--git-path', 'shallow'], cwd),
    tryGitText(['config', '--get', 'extensions.partialClone'], cwd),
  ]);
  const remotes = (remotesText ?? '').split('\n').filter(Boolean);
  // Longest first, so origin/x is not taken for origin when both are remotes.
  const byLength = [...remotes].sort((a, b) => b.length - a.length);
  const refs: RefTip[] = [];
  const tags: RepoState['tags'] = [];
  for (const line of refsOut.toString('utf8').split('\n')) {
    const [name = '', id = '', peeled = '', type = '', peeledType = ''] = line.split('\0');
    if (type === 'tag') tags.push({ name, object: id });
    const commit = type === 'commit' ? id : peeledType === 'commit' ? peeled : '';
    if (!commit || name === 'refs/stash') continue;
    const tip: RefTip = { name, commit };
    if (name.startsWith('refs/remotes/')) {
      const rest = name.slice('refs/remotes/'.length);
      tip.remote = byLength.find((r) => rest.startsWith(`${r}/`)) ?? rest.split('/')[0];
    }
    refs.push(tip);
  }
  (stashText ?? '')
    .split('\n')
    .filter(Boolean)
    .forEach((commit, n) => refs.push({ name: `stash@{${n}}`, commit }));
  if (head && !symbolic) refs.push({ name: 'HEAD', commit: head });
  return {
    top,
    bare,
    head: head ?? null,
    refs,
    tags,
    remotes,
    shallow: await readShallow(shallowText, cwd),
    partialClone: partial !== undefined && partial !== '',
  };
}

async function readShallow(path: string | undefined, cwd: string): Promise<Set<string>> {
  if (!path) return new Set();
  const { readFile } = await import('node:fs/promises');
  const { resolve } = await import('node:path');
  try {
    return new Set((await readFile(resolve(cwd, path), 'utf8')).split('\n').filter(Boolean));
  } catch {
    return new Set();
  }
}
