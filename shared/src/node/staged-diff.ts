/**
 * Parses `git diff --cached --raw -p -z` into, per file, the lines the commit adds with their numbers in
 * the new file. Paths come from the raw records (never quoted or mangled, so spaces and unicode are
 * safe); the patch gives the lines. Both list the same file pairs in the same order.
 *
 * Speed matters here (it runs on every commit): the patch stays bytes, and only a file whose patch
 * holds a rule keyword is decoded and parsed; the others are counted by git (`--numstat`).
 */
import { sniffEncoding, type TextEncodingName } from '../scan/index.js';

export interface StagedFile {
  /** The path in the next commit, relative to the top level. */
  path: string;
  status: string;
  newMode: string;
  /** The staged blob's id (what `git cat-file` reads). */
  blob: string;
  binary: boolean;
  /**
   * The added bytes are UTF-16 text: the lines below are then git's line numbers only (their text is
   * bytes of UTF-16 cut at 0x0a), and the staged blob is decoded whole instead (staged.ts).
   */
  utf16?: boolean;
  /** How many lines the commit adds to this file. */
  addedCount: number;
  /** Lines the commit adds, plus one line of context around them (for `signus:allow-next-line`). Empty when not parsed. */
  lines: { number: number; text: string; added: boolean }[];
}

export interface RawEntry {
  path: string;
  status: string;
  newMode: string;
  blob: string;
  /** From --numstat: lines added, and whether git sees the file as binary. */
  addedCount: number;
  binary: boolean;
}

/**
 * Splits the output of `--raw --numstat -p -z`: NUL-separated raw records (`:modes shas status\0path\0`,
 * with a source path first for renames and copies), then one numstat record per file
 * (`added\tdeleted\tpath\0`, or `added\tdeleted\t\0src\0dst\0`; `-` for binary), an empty field,
 * then the patch.
 */
export function parseRawAndPatch(out: Buffer): { raw: RawEntry[]; patch: Buffer } {
  const raw: RawEntry[] = [];
  let pos = 0;
  const field = (): string => {
    const end = out.indexOf(0, pos);
    const stop = end === -1 ? out.length : end;
    const text = out.toString('utf8', pos, stop);
    pos = stop + 1;
    return text;
  };
  while (pos < out.length && out[pos] === 0x3a /* ':' */) {
    // :oldmode newmode oldsha newsha status
    const [, newMode = '', , blob = '', status = ''] = field().slice(1).split(' ');
    if (status.startsWith('R') || status.startsWith('C')) field(); // source path
    raw.push({ path: field(), status: status[0] ?? '?', newMode, blob, addedCount: 0, binary: false });
  }
  for (const entry of raw) {
    if (pos >= out.length || out[pos] === 0) break;
    const [added = '', , path = ''] = field().split('\t');
    if (path === '') {
      field(); // rename or copy: source
      field(); // and destination
    }
    // With --text a `-diff` or `binary` file has a text patch, though numstat still says "-": counted below.
    entry.addedCount = added === '-' ? -1 : Number(added) || 0;
  }
  if (out[pos] === 0) pos++;
  return { raw, patch: out.subarray(pos) };
}

const SECTION_START = Buffer.from('\ndiff --git ');

/** One Buffer per file pair. Content lines carry a +, - or space prefix, so a header is unambiguous. */
export function splitSections(patch: Buffer): Buffer[] {
  if (patch.length === 0) return [];
  const sections: Buffer[] = [];
  let start = patch.indexOf('diff --git ') === 0 ? 0 : -1;
  if (start === -1) return [];
  for (;;) {
    const next = patch.indexOf(SECTION_START, start);
    if (next === -1) {
      sections.push(patch.subarray(start));
      return sections;
    }
    sections.push(patch.subarray(start, next + 1));
    start = next + 1;
  }
}

function countAdded(section: Buffer): number {
  let n = 0;
  for (let at = section.indexOf('\n+'); at !== -1; at = section.indexOf('\n+', at + 1)) n++;
  return Math.max(0, n - 1); // the "+++ b/path" header
}

/** The content of a section's added lines, as the file has it: what the binary test looks at. */
function addedBytes(section: Buffer): Buffer {
  const hunk = section.indexOf('\n@@');
  if (hunk === -1) return Buffer.alloc(0);
  const lines: Buffer[] = [];
  for (let at = section.indexOf(0x0a, hunk + 1) + 1; at > 0 && at < section.length;) {
    const nl = section.indexOf(0x0a, at);
    const end = nl === -1 ? section.length : nl;
    if (section[at] === 0x2b /* + */) lines.push(section.subarray(at + 1, end), Buffer.from('\n'));
    at = end + 1;
  }
  return Buffer.concat(lines);
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;
function parseSection(text: string, entry: RawEntry): StagedFile {
  const file: StagedFile = { ...entry, addedCount: 0, lines: [] };
  let next = 0;
  let inHunk = false;
  for (const line of text.split('\n')) {
    if (!inHunk) {
      if (line.startsWith('Binary files ') || line === 'GIT binary patch') file.binary = true;
      const m = HUNK.exec(line);
      if (m) {
        inHunk = true;
        next = Number(m[1]);
      }
      continue;
    }
    const kind = line[0];
    if (kind === '@') {
      const m = HUNK.exec(line);
      if (m) next = Number(m[1]);
    } else if (kind === '+') {
      file.lines.push({ number: next++, text: line.slice(1), added: true });
      file.addedCount++;
    } else if (kind === ' ') {
      file.lines.push({ number: next++, text: line.slice(1), added: false });
    }
    // '-' lines are gone from the new file; '\' is "No newline at end of file".
  }
  return file;
}

/**
 * Pairs raw entries with patch sections. A section is parsed into lines only when `mayMatch` says
 * its bytes could hold a finding; otherwise it is only counted.
 */
export function parsePatch(
  patch: Buffer,
  raw: RawEntry[],
  mayMatch: (section: Buffer) => boolean = () => true,
): StagedFile[] {
  const sections = splitSections(patch);
  if (sections.length !== raw.length) {
    throw new Error(
      `git diff listed ${raw.length} files but its patch has ${sections.length}; cannot tell which lines are added.`,
    );
  }
  return sections.map((section, i) => {
    const entry = raw[i]!;
    // The diff is asked for with --text (a `-diff` or `binary` attribute must not hide a key), so git no
    // longer tells binaries apart: a section with NUL bytes that does not look like text is one.
    let wide: TextEncodingName | undefined;
    if (!entry.binary && section.indexOf(0) !== -1) {
      const encoding = sniffEncoding(addedBytes(section));
      if (encoding === 'binary') entry.binary = true;
      // UTF-16 (PowerShell's `>`): its line numbers are parsed here; the blob is decoded whole later,
      // since the added lines alone may start mid-character (the byte after a 0x0a is a NUL in UTF-16LE).
      else if (encoding !== 'utf-8') wide = encoding;
    }
    // A diff made without --text (a hook installed by an older signus) still says so itself.
    if (section.indexOf('\nBinary files ') !== -1 || section.indexOf('\nGIT binary patch') !== -1) entry.binary = true;
    if (!entry.binary && wide) return { ...parseSection(section.toString('latin1'), entry), utf16: true };
    if (!entry.binary && mayMatch(section)) return parseSection(section.toString('utf8'), entry);
    return { ...entry, addedCount: entry.addedCount < 0 ? countAdded(section) : entry.addedCount, lines: [] };
  });
}
