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
import { echoFinder } from '../../echo-redactor.js';
import { searchObjects } from './objects.js';
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
  const lines = replacedForms(key).map((form) => `${form}==>${REMOVED_MARKER}`);
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
  // Every object left, reachable or not, searched with the key's echo finder: any form, not only those replaced.
  const objectsWithKey = (await searchObjects(mirror, echoFinder(key), Number.MAX_SAFE_INTEGER)).withKey.length;

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

/**
 * What filter-repo replaces, longest first: the key's encoded forms, then, for base64 that holds the key
 * after other bytes (`Basic base64(user:key)`), the part of the base64 that depends on the key alone, at
 * each of the 3 byte alignments, standard and URL-safe. That part becomes the marker: the key is gone,
 * though such a base64 string no longer decodes.
 */
export function replacedForms(key: string): string[] {
  const bytes = new TextEncoder().encode(key);
  const middles: string[] = [];
  for (let align = 0; align < 3; align++) {
    const shifted = new Uint8Array(align + bytes.length);
    shifted.set(bytes, align);
    const encoded = btoa(String.fromCharCode(...shifted));
    const middle = encoded.slice(Math.ceil(align / 3) * 4, Math.floor((align + bytes.length) / 3) * 4);
    middles.push(middle, middle.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set([...encodedForms(key), ...middles])].sort((a, b) => b.length - a.length);
}
