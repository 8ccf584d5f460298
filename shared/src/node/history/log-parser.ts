/**
 * Parses `git log -z --raw --no-abbrev -c --format=LOG_FORMAT` as it streams. Each commit is a header of
 * NUL-terminated fields (after a \x01 marker) and then its raw records: `:modes ids status\0path\0` (two
 * paths for a rename or copy), or for a merge's combined diff `::modes ids statuses\0path\0` with one
 * colon, mode and id per parent. Raw records carry paths unquoted, so any file name is safe.
 */
export const LOG_FORMAT = '%x01%H %P%x00%an%x00%ae%x00%aI%x00%B%x00';

export interface RawChange {
  path: string;
  /** The modes and blob ids before the change, one per parent (all zeros when the path is new there). */
  oldModes: string[];
  oldBlobs: string[];
  newMode: string;
  /** All zeros when the commit deletes the path. */
  newBlob: string;
  status: string;
}

export interface LogCommit {
  id: string;
  parents: string[];
  author: string;
  email: string;
  date: string;
  message: string;
  changes: RawChange[];
}

export const ZERO_ID = /^0+$/;

export class LogParser {
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly onCommit: (commit: LogCommit) => void) {}

  push(chunk: Buffer): void {
    this.parse(this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk, false);
  }

  end(): void {
    this.parse(this.carry, true);
    this.carry = Buffer.alloc(0);
  }

  private parse(buf: Buffer, eof: boolean): void {
    const reader = new FieldReader(buf);
    let start = 0;
    while (start < buf.length) {
      if (buf[start] !== 1) throw new Error(`unexpected output from git log at byte ${start}`);
      reader.pos = start + 1;
      const commit = parseCommit(reader, eof);
      if (commit === undefined) {
        if (eof) throw new Error('git log output ended in the middle of a commit');
        break;
      }
      this.onCommit(commit);
      start = reader.pos;
    }
    this.carry = start < buf.length ? Buffer.from(buf.subarray(start)) : Buffer.alloc(0);
  }
}

class FieldReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  /** The next NUL-terminated field, or undefined if the buffer ends first. */
  field(): string | undefined {
    const end = this.buf.indexOf(0, this.pos);
    if (end === -1) return undefined;
    const text = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return text;
  }

  skipSeparators(): void {
    const buf = this.buf;
    while (this.pos < buf.length && (buf[this.pos] === 0 || buf[this.pos] === 10)) this.pos++;
  }
}

/** One commit from the reader's position; undefined if it may not be whole yet. */
function parseCommit(r: FieldReader, eof: boolean): LogCommit | undefined {
  const head = r.field();
  const author = r.field();
  const email = r.field();
  const date = r.field();
  const message = r.field();
  if (message === undefined || head === undefined || author === undefined || email === undefined || date === undefined)
    return undefined;
  const [id = '', ...parents] = head.split(' ');
  const changes: RawChange[] = [];
  r.skipSeparators();
  while (r.pos < r.buf.length && r.buf[r.pos] === 0x3a /* ':' */) {
    const header = r.field();
    if (header === undefined) return undefined;
    let colons = 0;
    while (header[colons] === ':') colons++;
    const parts = header.slice(colons).split(' ');
    const status = parts[2 * colons + 2] ?? '';
    // A rename or copy names its source first (only when renames are detected).
    if (colons === 1 && (status[0] === 'R' || status[0] === 'C') && r.field() === undefined) return undefined;
    const path = r.field();
    if (path === undefined) return undefined;
    changes.push({
      path,
      oldModes: parts.slice(0, colons),
      oldBlobs: parts.slice(colons + 1, 2 * colons + 1),
      newMode: parts[colons] ?? '',
      newBlob: parts[2 * colons + 1] ?? '',
      status,
    });
    r.skipSeparators();
  }
  // A commit is whole only when the next one starts (or git has finished): more records may follow.
  if (r.pos >= r.buf.length && !eof) return undefined;
  return { id, parents, author, email, date, message, changes };
}
