/**
 * `signus scan --history`: what every commit added, one finding per key.
 *
 * One `git log --raw` names the blobs each commit wrote (no diffs: those cost git more than reading the
 * blobs); each distinct blob is read once by one of two `git cat-file --batch` processes, fed while the log streams,
 * and scanned whole (so `signus:allow` comments and line numbers are those of the file). A key is *added* by
 * a commit when its new blob holds it and none of the blobs it replaced (one per parent) did; *removed* when
 * a blob it replaced held it and the new one does not.
 */
import { prefilterKeywords } from '../../scan/detect.js';
import { maskedSnippet, scanText, type Finding, type IgnoreRules, type KnownKeySet } from '../../scan/index.js';
import { piecesInclude, startBlobReader } from './blob-reader.js';
import { streamGit } from './git-stream.js';
import { CommitGraph, readGraph } from './graph.js';
import { LOG_FORMAT, LogParser, ZERO_ID, type LogCommit } from './log-parser.js';
import { readRepoState, type RepoState } from './refs.js';
import { readTagObjects, type TagObject } from './tag-reader.js';
import { git } from '../git.js';

export interface HistorySelection {
  /** Revision arguments for git log (`--all`, `A..B`, `main`, `x --not --remotes=origin`). */
  revs: string[];
  /** Walk every ref, the stash entries (and the reflog if asked). */
  all: boolean;
  reflog?: boolean;
  since?: string;
  /**
   * Annotated tag objects whose messages to scan (a push's new tags). With `all`, every annotated tag's is
   * scanned anyway. With no revs and not `all`, no commit is walked: only these tags.
   */
  tagObjects?: { name: string; object: string }[];
}

export interface HistoryScanOptions {
  cwd: string;
  selection: HistorySelection;
  knownKeys?: KnownKeySet | undefined;
  ignore?: IgnoreRules | undefined;
  maxBlobBytes: number;
}

export interface CommitRef {
  commit: string;
  author: string;
  date: string;
}

export interface HistoryFinding {
  fingerprint: string;
  masked: string;
  ruleId: string;
  severity: Finding['severity'];
  message: string;
  knownKeyLabel?: string;
  encoding?: Finding['encoding'];
  introduced: CommitRef & {
    /** null: the commit message (or, with `tag`, the annotated tag's message). */
    path: string | null;
    /** The key is in the message of this annotated tag; `commit` is then the object the tag points at. */
    tag?: { ref: string; name: string; object: string };
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    snippet: string;
    /** The commit is at a shallow clone's boundary: the key may be older than it. */
    shallowBoundary?: boolean;
  };
  /** The last commit in HEAD's past that took the key out of the tree; null if it is in HEAD or never was. */
  removed: CommitRef | null;
  inHead: boolean;
  /** Local branches, tags, other refs, `stash@{n}` (and HEAD when detached) from which the key is reachable. */
  refs: string[];
  pushed: boolean;
  remotes: string[];
  remoteRefs: string[];
  /** Every (commit, path, line) that added it, commit messages included. */
  occurrences: number;
  commits: string[];
  /** Every file path that added it (a key only in commit messages has none). */
  paths: string[];
  /** Annotated tags (their refs) whose message holds it. */
  tags: string[];
}

export interface HistoryStats {
  commits: number;
  messages: number;
  /** Annotated tag messages read. */
  tagMessages: number;
  blobs: number;
  bytes: number;
  binary: number;
  tooLarge: number;
  missing: number;
  submodules: number;
  ignoredPaths: number;
  refsCovered: string[];
  shallowBoundary: string[];
  partialClone: boolean;
  empty: boolean;
}

export interface HistoryScanResult {
  findings: HistoryFinding[];
  stats: HistoryStats;
  top: string;
  head: string | null;
}

interface Addition {
  commit: number;
  path: string | null;
  finding: Finding;
  snippet: string;
}

interface Change {
  commit: number;
  path: string;
  oldBlobs: string[];
  newBlob: string | null;
  merge: boolean;
}

const BINARY_SNIFF_BYTES = 8000;
const SUBMODULE_MODE = '160000';
const BLOB_READERS = 2;

/** Which blob reader a path's versions go to (FNV-1a of the path). */
function pathSlot(path: string, slots: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 16777619);
  return (h >>> 0) % slots;
}

function graphOf(commits: readonly LogCommit[]): CommitGraph {
  const graph = new CommitGraph();
  for (const c of commits) graph.add(c.id, c.parents);
  return graph;
}

export async function scanHistory(options: HistoryScanOptions): Promise<HistoryScanResult> {
  const { cwd, selection, knownKeys, ignore, maxBlobBytes } = options;
  const state = await readRepoState(cwd);
  const stats: HistoryStats = {
    commits: 0,
    messages: 0,
    tagMessages: 0,
    blobs: 0,
    bytes: 0,
    binary: 0,
    tooLarge: 0,
    missing: 0,
    submodules: 0,
    ignoredPaths: 0,
    refsCovered: [],
    shallowBoundary: [],
    partialClone: state.partialClone,
    empty: false,
  };
  if (state.head === null && state.refs.length === 0) {
    stats.empty = true;
    return { findings: [], stats, top: state.top, head: null };
  }

  const hasKnown = knownKeys !== undefined && knownKeys.labels.size > 0;
  const keywords = prefilterKeywords(hasKnown);
  const keywordBytes = keywords.map((k) => Buffer.from(k));
  const mayHold = (pieces: Buffer[]) => keywordBytes.some((k) => piecesInclude(pieces, k));
  const scanOptions = { knownKeys, ignore };

  const missingObjects = state.partialClone ? await listMissing(cwd, selection, state) : new Set<string>();
  const commits: LogCommit[] = [];
  const changes: Change[] = [];
  const blobFindings = new Map<string, { text: string; findings: Finding[] }>();
  const requested = new Set<string>();
  const pending: Promise<void>[] = [];
  const messageAdditions: Addition[] = [];

  const onBlob = (id: string, pieces: Buffer[] | null, size: number) => {
    if (pieces === null) {
      stats.missing++;
      return;
    }
    stats.blobs++;
    stats.bytes += size;
    if (size > maxBlobBytes) {
      stats.tooLarge++;
      return;
    }
    if (!mayHold(pieces)) return;
    const content = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
      stats.binary++;
      return;
    }
    const text = content.toString('utf8');
    pending.push(
      scanText(text, scanOptions).then((findings) => {
        if (findings.length) blobFindings.set(id, { text, findings });
      }),
    );
  };

  // Two cat-file processes, one per core: inflating every blob is the scan's longest step, and git log -p
  // (our yardstick) also does it, on one core. A path's versions all go to the same one, so each process's
  // delta-base cache still holds the previous version of the file it reads next.
  let readers = await Promise.all(Array.from({ length: BLOB_READERS }, () => startBlobReader(cwd, onBlob)));
  const request = (id: string, path = '') => {
    if (requested.has(id)) return;
    requested.add(id);
    if (missingObjects.has(id)) {
      stats.missing++;
      return;
    }
    readers[readers.length === 1 ? 0 : pathSlot(path, readers.length)]!.write(`${id}\n`);
  };

  const parser = new LogParser((commit) => {
    const index = commits.length;
    commits.push({ ...commit, message: '', changes: [] });
    stats.commits++;
    stats.messages++;
    if (state.shallow.has(commit.id)) stats.shallowBoundary.push(commit.id);
    if (keywords.some((k) => commit.message.includes(k))) {
      const text = commit.message;
      pending.push(
        scanText(text, scanOptions).then((findings) => {
          for (const f of findings)
            messageAdditions.push({ commit: index, path: null, finding: f, snippet: maskedSnippet(text, f, findings) });
        }),
      );
    }
    for (const c of commit.changes) {
      if (c.newMode === SUBMODULE_MODE || c.oldModes.includes(SUBMODULE_MODE)) {
        stats.submodules++;
        continue;
      }
      const newBlob = ZERO_ID.test(c.newBlob) ? null : c.newBlob;
      if (newBlob) request(newBlob, c.path);
      changes.push({
        commit: index,
        path: c.path,
        oldBlobs: c.oldBlobs.filter((b) => !ZERO_ID.test(b)),
        newBlob,
        merge: commit.parents.length > 1,
      });
    }
  });
  const logArgs = [
    'log',
    '-z',
    '--raw',
    '--no-abbrev',
    // A merge is diffed against its first parent only: what it brings from the other side was added there
    // (and is recognised by its blob below); -c or renames would cost git more than the rest of the scan.
    '--diff-merges=first-parent',
    '--no-renames',
    '--date-order',
    '--no-textconv',
    '--no-ext-diff',
    '--no-color',
    '--no-mailmap',
    `--format=${LOG_FORMAT}`,
    ...(selection.since !== undefined ? [`--since=${selection.since}`] : []),
    ...(selection.reflog ? ['--reflog'] : []),
    ...logRevs(selection, state),
    '--',
  ];
  // A push of tags only (on commits the remote has) walks no commit: git log without revs would walk HEAD.
  const walk = selection.all || selection.revs.length > 0;
  const log = walk ? await streamGit(logArgs, cwd, (chunk) => parser.push(chunk)) : undefined;
  const tagsRead = readTagObjects(cwd, selection.all ? state.tags : (selection.tagObjects ?? []));
  try {
    await log?.done;
    parser.end();
  } finally {
    for (const r of readers) r.end();
  }
  await Promise.all(readers.map((r) => r.done));
  await Promise.all(pending);
  pending.length = 0;

  await reconnectShallowCommits(cwd, commits, changes, stats);

  const walked = new Set(commits.map((c) => c.id));
  stats.refsCovered = state.refs.filter((r) => walked.has(r.commit)).map((r) => r.name);
  const tagAdditions = await scanTagMessages(await tagsRead, stats, keywords, scanOptions);
  if (blobFindings.size === 0 && messageAdditions.length === 0)
    return { findings: tagFindings(tagAdditions, []), stats, top: state.top, head: state.head };

  // Second, small pass: blobs replaced by a key's blob but outside the walk (a range's base), and HEAD's
  // tree, to tell an addition from a line already there and whether the key is still in HEAD.
  const headTree = state.head ? await readTree(cwd, state.head) : [];
  const extra: string[] = [];
  for (const c of changes)
    if (c.newBlob && blobFindings.has(c.newBlob)) for (const b of c.oldBlobs) if (!requested.has(b)) extra.push(b);
  for (const e of headTree) if (!requested.has(e.blob)) extra.push(e.blob);
  if (extra.length) {
    readers = [await startBlobReader(cwd, onBlob)];
    for (const id of extra) request(id);
    readers[0]!.end();
    await readers[0]!.done;
    await Promise.all(pending);
  }

  const fps = (blob: string) => (blobFindings.get(blob)?.findings ?? []).map((f) => f.fingerprint);
  const additions = new Map<string, Addition[]>();
  const removals = new Map<string, Set<number>>();
  const add = (a: Addition) => {
    const list = additions.get(a.finding.fingerprint);
    if (list) list.push(a);
    else additions.set(a.finding.fingerprint, [a]);
  };
  // Blobs some ordinary commit wrote: a merge that carries one over adds nothing of its own.
  const writtenByCommits = new Set<string>();
  for (const c of changes) if (!c.merge && c.newBlob && blobFindings.has(c.newBlob)) writtenByCommits.add(c.newBlob);
  for (const group of byCommit(changes)) {
    // Keys in what the commit replaced or deleted, in any file: a key that only moves (a rename, a move to
    // another file) is neither added nor removed.
    const before = new Set(group.flatMap((c) => c.oldBlobs.flatMap(fps)));
    const after = new Set(group.flatMap((c) => (c.newBlob ? fps(c.newBlob) : [])));
    for (const c of group) {
      const now = c.newBlob ? blobFindings.get(c.newBlob) : undefined;
      if (!now || (c.merge && writtenByCommits.has(c.newBlob!))) continue;
      if (ignore?.isPathIgnored(c.path)) {
        stats.ignoredPaths++;
        continue;
      }
      for (const f of now.findings)
        if (!before.has(f.fingerprint))
          add({ commit: c.commit, path: c.path, finding: f, snippet: maskedSnippet(now.text, f, now.findings) });
    }
    for (const fp of before) {
      if (after.has(fp)) continue;
      const set = removals.get(fp) ?? new Set<number>();
      removals.set(fp, set.add(group[0]!.commit));
    }
  }
  for (const a of messageAdditions) add(a);
  if (additions.size === 0) return { findings: tagFindings(tagAdditions, []), stats, top: state.top, head: state.head };

  const inHead = new Set<string>();
  for (const e of headTree) if (!ignore?.isPathIgnored(e.path)) for (const fp of fps(e.blob)) inHead.add(fp);

  // A walk of every ref without --since already listed each reachable commit with its parents: no second walk.
  const graph =
    selection.all && selection.since === undefined
      ? graphOf(commits)
      : await readGraph(cwd, [...state.refs.map((r) => r.commit), ...commits.map((c) => c.id)]);
  const headPast = state.head ? graph.ancestors([state.head]) : new Set<number>();
  const meta = (i: number): CommitRef => ({
    commit: commits[i]!.id,
    author: `${commits[i]!.author} <${commits[i]!.email}>`,
    date: commits[i]!.date,
  });

  const findings: HistoryFinding[] = [];
  for (const [fingerprint, list] of additions) {
    // git log --date-order lists a commit before its parents: the last addition listed is the first made.
    const first = list.reduce((a, b) => (b.commit > a.commit || (b.commit === a.commit && b.path === null) ? b : a));
    const f = first.finding;
    const addedBy = [...new Set(list.map((a) => commits[a.commit]!.id))];
    const reach = graph.descendants(addedBy);
    const reaching = state.refs.filter((r) => graph.contains(reach, r.commit));
    const remoteRefs = reaching.filter((r) => r.remote !== undefined);
    const held = inHead.has(fingerprint);
    let removed: CommitRef | null = null;
    if (!held) {
      const candidates = [...(removals.get(fingerprint) ?? [])].filter((i) => graph.contains(headPast, commits[i]!.id));
      if (candidates.length) removed = meta(Math.min(...candidates));
    }
    findings.push({
      ...keyFields(fingerprint, f),
      introduced: {
        ...meta(first.commit),
        path: first.path,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
        snippet: first.snippet,
        ...(stats.shallowBoundary.includes(commits[first.commit]!.id) && { shallowBoundary: true }),
      },
      removed,
      inHead: held,
      refs: reaching.filter((r) => r.remote === undefined).map((r) => r.name),
      pushed: remoteRefs.length > 0,
      remotes: [...new Set(remoteRefs.map((r) => r.remote!))].sort(),
      remoteRefs: remoteRefs.map((r) => r.name),
      occurrences: list.length,
      commits: addedBy,
      tags: [],
      paths: [...new Set(list.flatMap((a) => (a.path === null ? [] : [a.path])))],
    });
  }
  // Known keys first, then the oldest introduction first: the order a person reads a leak's story.
  return { findings: tagFindings(tagAdditions, findings), stats, top: state.top, head: state.head };
}

interface TagAddition {
  tag: TagObject;
  finding: Finding;
  snippet: string;
}

async function scanTagMessages(
  read: { tags: TagObject[]; missing: number },
  stats: HistoryStats,
  keywords: readonly string[],
  scanOptions: { knownKeys?: KnownKeySet | undefined; ignore?: IgnoreRules | undefined },
): Promise<TagAddition[]> {
  stats.missing += read.missing;
  const additions: TagAddition[] = [];
  for (const tag of read.tags) {
    stats.tagMessages++;
    if (!keywords.some((k) => tag.message.includes(k))) continue;
    const found = await scanText(tag.message, scanOptions);
    for (const f of found) additions.push({ tag, finding: f, snippet: maskedSnippet(tag.message, f, found) });
  }
  return additions;
}

/**
 * Keys in annotated tag messages joined to the findings: a key also in a commit keeps that story and gains
 * the tag; a key only in tag messages is a finding of its own, introduced by its oldest tag.
 */
function tagFindings(additions: TagAddition[], findings: HistoryFinding[]): HistoryFinding[] {
  const byFingerprint = new Map(findings.map((f) => [f.fingerprint, f]));
  for (const a of additions) {
    const fp = a.finding.fingerprint;
    const known = byFingerprint.get(fp);
    if (known) {
      known.occurrences++;
      if (!known.tags.includes(a.tag.ref)) known.tags.push(a.tag.ref);
      if (!known.refs.includes(a.tag.ref)) known.refs.push(a.tag.ref);
      if (known.introduced.tag && a.tag.date < known.introduced.date) known.introduced = tagIntroduced(a);
      continue;
    }
    const f = a.finding;
    const finding: HistoryFinding = {
      ...keyFields(fp, f),
      introduced: tagIntroduced(a),
      removed: null,
      inHead: false,
      refs: [a.tag.ref],
      // Tags have no remote-tracking refs: whether a remote has one is not known locally.
      pushed: false,
      remotes: [],
      remoteRefs: [],
      occurrences: 1,
      commits: [],
      paths: [],
      tags: [a.tag.ref],
    };
    byFingerprint.set(fp, finding);
    findings.push(finding);
  }
  return findings.sort(
    (a, b) =>
      Number(b.severity === 'error') - Number(a.severity === 'error') ||
      a.introduced.date.localeCompare(b.introduced.date),
  );
}

function tagIntroduced(a: TagAddition): HistoryFinding['introduced'] {
  const f = a.finding;
  return {
    commit: a.tag.target,
    author: a.tag.tagger,
    date: a.tag.date,
    path: null,
    tag: { ref: a.tag.ref, name: a.tag.name, object: a.tag.id },
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    snippet: a.snippet,
  };
}

/**
 * A shallow clone's boundary commit looks like a root: git lists every file in it as added. When its real
 * parents are here after all (a CI run fetched the base), its changes are taken against them instead.
 */
async function reconnectShallowCommits(
  cwd: string,
  commits: LogCommit[],
  changes: Change[],
  stats: HistoryStats,
): Promise<void> {
  if (stats.shallowBoundary.length === 0) return;
  const still: string[] = [];
  for (const id of stats.shallowBoundary) {
    const body = (await git(['cat-file', 'commit', id], cwd)).toString('utf8');
    const parents = [...body.slice(0, body.indexOf('\n\n')).matchAll(/^parent ([0-9a-f]+)$/gm)].map((m) => m[1]!);
    const present = await Promise.all(
      parents.map((p) =>
        git(['cat-file', '-e', `${p}^{commit}`], cwd).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (parents.length === 0 || present.includes(false)) {
      still.push(id);
      continue;
    }
    const index = commits.findIndex((c) => c.id === id);
    const raw = (
      await git(['diff-tree', '-r', '-z', '--raw', '--no-abbrev', '--no-renames', parents[0]!, id], cwd)
    ).toString('utf8');
    const kept = changes.filter((c) => c.commit !== index);
    changes.length = 0;
    changes.push(...kept);
    const fields = raw.split('\0');
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const [, newMode = '', oldBlob = '', newBlob = ''] = fields[i]!.slice(1).split(' ');
      if (newMode === SUBMODULE_MODE) continue;
      changes.push({
        commit: index,
        path: fields[i + 1]!,
        oldBlobs: ZERO_ID.test(oldBlob) ? [] : [oldBlob],
        newBlob: ZERO_ID.test(newBlob) ? null : newBlob,
        merge: false,
      });
    }
  }
  stats.shallowBoundary = still;
}

/** Changes are stored in log order, so each commit's are consecutive. */
function* byCommit(changes: Change[]): Generator<Change[]> {
  for (let i = 0; i < changes.length;) {
    let j = i + 1;
    while (j < changes.length && changes[j]!.commit === changes[i]!.commit) j++;
    yield changes.slice(i, j);
    i = j;
  }
}

function logRevs(selection: HistorySelection, state: RepoState): string[] {
  if (!selection.all) return selection.revs;
  // --all covers refs/stash, its tip only; the older entries live in the stash's reflog.
  const stashes = state.refs.filter((r) => r.name.startsWith('stash@')).map((r) => r.commit);
  return ['--all', ...stashes];
}

async function readTree(cwd: string, commit: string): Promise<{ path: string; blob: string }[]> {
  const out = (await git(['ls-tree', '-r', '-z', '--full-tree', commit], cwd)).toString('utf8');
  const entries: { path: string; blob: string }[] = [];
  for (const record of out.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const [, type, blob = ''] = record.slice(0, tab).split(' ');
    if (type === 'blob') entries.push({ path: record.slice(tab + 1), blob });
  }
  return entries;
}

/** In a partial clone, the objects it lacks: asking cat-file for one would download it. */
async function listMissing(cwd: string, selection: HistorySelection, state: RepoState): Promise<Set<string>> {
  const missing = new Set<string>();
  let carry = '';
  const stream = await streamGit(
    ['rev-list', '--objects', '--missing=print', ...logRevs(selection, state), '--'],
    cwd,
    (chunk) => {
      const lines = (carry + chunk.toString('latin1')).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('?')) missing.add(line.slice(1));
    },
  );
  stream.end();
  await stream.done;
  return missing;
}

/** What a history finding says about the key itself, the same for a commit and a tag message. */
function keyFields(fingerprint: string, f: Finding) {
  return {
    fingerprint,
    masked: f.masked,
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message.replace('is in this file', 'was committed'),
    ...(f.knownKeyLabel !== undefined && { knownKeyLabel: f.knownKeyLabel }),
    encoding: f.encoding,
  };
}
