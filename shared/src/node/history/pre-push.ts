/**
 * What a push would send: git hands the pre-push hook one line per ref,
 * `<local ref> <local sha> <remote ref> <remote sha>`. New commits are those reachable from the local shas
 * and from nothing the remote is known to have (its remote-tracking refs and the shas it reported).
 */
import { git, gitText, tryGitText } from '../git.js';

export interface PushUpdate {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

export interface PushPlan {
  /** Revisions for git log: the local shas, `--not`, what the remote has. Empty: nothing to scan. */
  revs: string[];
  newCommits: number;
  /** Annotated tags being pushed: their messages are scanned too. */
  tagObjects: { name: string; object: string }[];
  /** One line per ref, for the report. */
  lines: string[];
  notes: string[];
}

export class PushRangeError extends Error {
  override readonly name = 'PushRangeError';
}

const ZERO = /^0{40}$|^0{64}$/;
const SHA = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

export function parsePushLines(text: string): PushUpdate[] {
  const updates: PushUpdate[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const parts = line.split(' ');
    if (parts.length !== 4 || !SHA.test(parts[1]!) || !SHA.test(parts[3]!))
      throw new PushRangeError(`git passed a line the hook cannot read: "${line.slice(0, 200)}"`);
    const [localRef, localSha, remoteRef, remoteSha] = parts as [string, string, string, string];
    updates.push({ localRef, localSha, remoteRef, remoteSha });
  }
  return updates;
}

const has = async (cwd: string, sha: string) =>
  (await tryGitText(['cat-file', '-e', `${sha}^{commit}`], cwd)) !== undefined;

export async function planPush(cwd: string, remote: string, updates: PushUpdate[]): Promise<PushPlan> {
  const remotes = ((await tryGitText(['remote'], cwd)) ?? '').split('\n').filter(Boolean);
  const known = remotes.includes(remote);
  const include: string[] = [];
  const exclude: string[] = known ? [`--remotes=${remote}`] : [];
  const tagObjects: PushPlan['tagObjects'] = [];
  const lines: string[] = [];
  const notes: string[] = [];
  if (!known)
    notes.push(
      `"${remote}" is not a configured remote, so only the commits it reported for the refs pushed count as already there`,
    );
  for (const u of updates) {
    if (ZERO.test(u.localSha)) {
      lines.push(`${u.remoteRef}: deleted on ${remote} (nothing to scan)`);
      continue;
    }
    if (!(await has(cwd, u.localSha)))
      throw new PushRangeError(`${u.localRef} (${u.localSha.slice(0, 10)}) is not a commit in this repository`);
    include.push(u.localSha);
    // A tag the remote already has at this sha is not passed by git at all; a new one's message is scanned.
    if ((await tryGitText(['cat-file', '-t', u.localSha], cwd)) === 'tag')
      tagObjects.push({ name: u.localRef, object: u.localSha });
    if (!ZERO.test(u.remoteSha)) {
      if (await has(cwd, u.remoteSha)) exclude.push(u.remoteSha);
      else
        notes.push(
          `${remote} has ${u.remoteRef} at ${u.remoteSha.slice(0, 10)}, which this clone does not have (a force push over ` +
            'commits you have not fetched); commits on its remote-tracking refs still count as already there',
        );
    }
  }
  if (include.length === 0) return { revs: [], newCommits: 0, tagObjects, lines, notes };
  const revs = [...include, '--not', ...exclude];
  for (const u of updates) {
    if (ZERO.test(u.localSha)) continue;
    const mine = [u.localSha, '--not', ...exclude];
    const count = Number(await gitText(['rev-list', '--count', ...mine, '--'], cwd));
    const what = ZERO.test(u.remoteSha)
      ? 'new on the remote'
      : `${u.remoteSha.slice(0, 10)}..${u.localSha.slice(0, 10)}`;
    const tag = tagObjects.some((t) => t.object === u.localSha) ? ' and the annotated tag’s message' : '';
    lines.push(
      `${u.localRef} → ${remote} ${u.remoteRef} (${what}): ${count} new commit${count === 1 ? '' : 's'}${tag}`,
    );
  }
  let newCommits: number;
  try {
    newCommits = Number(await gitText(['rev-list', '--count', ...revs, '--'], cwd));
  } catch (error) {
    throw new PushRangeError(`git cannot list the commits being pushed (${(error as Error).message})`);
  }
  return { revs, newCommits, tagObjects, lines, notes };
}

/**
 * Every local branch and tag (and a detached HEAD) as if all were being pushed: for hook managers that read
 * git's ref lines themselves and hand over at most one range (the pre-commit framework hands over the
 * first ref's, and none when that branch starts at a root commit). Tags are peeled to their commit: which
 * annotated tags a push sends is not known here, so their messages are left to `--pre-push`.
 */
export async function unpushedUpdates(cwd: string): Promise<PushUpdate[]> {
  const zero = '0'.repeat(40);
  const out = await gitText(
    ['for-each-ref', '--format=%(refname) %(objectname) %(*objectname)', 'refs/heads', 'refs/tags'],
    cwd,
  );
  const updates: PushUpdate[] = [];
  for (const line of out.split('\n').filter(Boolean)) {
    const [ref, object, peeled] = line.split(' ') as [string, string, string | undefined];
    const sha = peeled || object;
    if ((await tryGitText(['cat-file', '-t', sha], cwd)) !== 'commit') continue;
    updates.push({ localRef: ref, localSha: sha, remoteRef: ref, remoteSha: zero });
  }
  const detached = await tryGitText(['symbolic-ref', '-q', 'HEAD'], cwd);
  const head = await tryGitText(['rev-parse', '--verify', '-q', 'HEAD^{commit}'], cwd);
  if (detached === undefined && head)
    updates.push({ localRef: 'HEAD', localSha: head, remoteRef: 'HEAD', remoteSha: zero });
  return updates;
}

/** The message of an annotated tag object (after its header). */
export async function tagMessage(cwd: string, tag: string): Promise<string> {
  const text = (await git(['cat-file', 'tag', tag], cwd)).toString('utf8');
  const at = text.indexOf('\n\n');
  return at === -1 ? '' : text.slice(at + 2);
}
