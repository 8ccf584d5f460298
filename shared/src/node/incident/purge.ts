/**
 * The history purge plan: the repository is cloned fresh with `git clone --mirror`, a bundle of that clone
 * is kept as the backup, `git filter-repo --replace-text` (and `--replace-message`) rewrites the clone,
 * and every object left in it is searched for the key. The force-push commands are returned to be shown,
 * never run: publishing rewritten history is the user's decision, after the key is revoked.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { encodedForms } from '../../scan/index.js';
import { REMOVED_MARKER } from '../../incident/replace.js';
import { git, gitText } from '../git.js';

export interface PurgePlan {
  repo: string;
  mirror: string;
  backup: string;
  /** The key (in any form searched) is gone from every object of the rewritten mirror. */
  verified: boolean;
  /** Objects of the mirror that still hold a form of the key (0 when verified). */
  objectsWithKey: number;
  /** To run by hand, in order, once the key is revoked. */
  pushCommands: string[];
  notes: string[];
}

export class PurgeError extends Error {
  override readonly name = 'PurgeError';
}

/** `git filter-repo --version`, or undefined when it is not installed. */
export async function filterRepoVersion(): Promise<string | undefined> {
  try {
    return (await run('git', ['filter-repo', '--version'], process.cwd())).trim() || 'unknown';
  } catch {
    return undefined;
  }
}

function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString('utf8'))
        : reject(
            new PurgeError(`${cmd} ${args[0]} failed (exit ${code}): ${Buffer.concat(err).toString('utf8').trim()}`),
          ),
    );
  });
}

const shellQuote = (s: string) => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export async function planPurge(options: {
  repo: string;
  key: string;
  workDir: string;
  /** Remote-tracking refs that reach the key, as the history scan named them (`refs/remotes/origin/main`). */
  remoteRefs: readonly string[];
  remotes: readonly { name: string; url: string }[];
}): Promise<PurgePlan> {
  const { repo, key, workDir } = options;
  if ((await filterRepoVersion()) === undefined)
    throw new PurgeError(
      'git filter-repo is not installed: pip install git-filter-repo==2.47.0 (scripts/setup.sh installs it).',
    );
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  chmodSync(workDir, 0o700);
  const name = basename(repo).replace(/[^A-Za-z0-9._-]/g, '_') || 'repo';
  const mirror = join(workDir, `${name}-purged.git`);
  const backup = join(workDir, `${name}-before-purge.bundle`);
  rmSync(mirror, { recursive: true, force: true });
  await git(['clone', '--quiet', '--mirror', '--no-local', '--', repo, mirror], workDir);
  await git(['bundle', 'create', '--quiet', backup, '--all'], mirror);
  chmodSync(backup, 0o600);

  // The expressions file holds the key, so it lives only for filter-repo's run, 0600, in the 0700 folder.
  const expressions = join(workDir, `.${name}-replace.txt`);
  const lines = encodedForms(key).map((form) => `${form}==>${REMOVED_MARKER}`);
  writeFileSync(expressions, `${lines.join('\n')}\n`, { mode: 0o600 });
  try {
    await run(
      'git',
      ['filter-repo', '--quiet', '--force', '--replace-text', expressions, '--replace-message', expressions],
      mirror,
    );
  } finally {
    rmSync(expressions, { force: true });
  }
  const objectsWithKey = await countObjectsWithKey(mirror, encodedForms(key));

  const pushCommands: string[] = [];
  const notes: string[] = [];
  const byRemote = new Map<string, string[]>();
  for (const ref of options.remoteRefs) {
    const m = /^refs\/remotes\/([^/]+)\/(.+)$/.exec(ref);
    if (!m || m[2] === 'HEAD') continue;
    byRemote.set(m[1]!, [...(byRemote.get(m[1]!) ?? []), m[2]!]);
  }
  for (const [remote, branches] of byRemote) {
    const url = options.remotes.find((r) => r.name === remote)?.url ?? remote;
    pushCommands.push(
      `git -C ${shellQuote(mirror)} push --force ${shellQuote(url)} ${branches.map((b) => shellQuote(`refs/remotes/${remote}/${b}:refs/heads/${b}`)).join(' ')}`,
    );
  }
  if (pushCommands.length === 0) notes.push('No remote has the key: nothing to force-push.');
  notes.push(
    `Unpushed commits: the rewritten branches are in the mirror (refs/heads/*); take them with \`git -C ${shellQuote(repo)} fetch ${shellQuote(mirror)} 'refs/heads/<branch>:refs/heads/<branch>-purged'\`, or clone the mirror.`,
    'After the push, every other clone and fork still holds the old commits: re-clone them. A hosting service may keep cached views and pull-request refs: ask its support to purge them.',
    `Backup of the history before the rewrite: ${backup} (holds the old key; delete it once the push is done).`,
  );
  const head = await gitText(['rev-parse', '--verify', '-q', 'HEAD'], mirror).catch(() => '');
  if (head === '') notes.push('The mirror has no HEAD branch.');
  return { repo, mirror, backup, verified: objectsWithKey === 0, objectsWithKey, pushCommands, notes };
}

/** Every object in the repository, reachable or not, read once; those holding a form of the key are counted. */
async function countObjectsWithKey(gitDir: string, forms: readonly string[]): Promise<number> {
  const needles = forms.map((f) => Buffer.from(f));
  const longest = Math.max(...needles.map((n) => n.length));
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch-all-objects', '--batch', '--unordered'], {
      cwd: gitDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let found = 0;
    let carry: Buffer = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      // Object boundaries do not matter for a yes/no per stream: count hits, with overlap across chunks.
      const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      for (const n of needles) {
        let at = data.indexOf(n);
        while (at !== -1) {
          if (at + n.length > carry.length) found++;
          at = data.indexOf(n, at + 1);
        }
      }
      carry = data.subarray(Math.max(0, data.length - longest + 1));
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(found) : reject(new PurgeError(`git cat-file failed (exit ${code})`)),
    );
  });
}
