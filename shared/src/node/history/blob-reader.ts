/**
 * `git cat-file --batch --buffer`: each distinct blob read once, in one process. Output is
 * `<id> <type> <size>\n<content>\n` per object, or `<id> missing\n`. A blob is handed over as views of
 * the chunks it arrived in, never copied: most blobs hold no key, and joining them all would double the
 * bytes handled and the garbage.
 */
import { streamGit, type GitStream } from './git-stream.js';

/** `pieces` (in order, together the content) is null for a missing object. */
export type BlobHandler = (id: string, pieces: Buffer[] | null, size: number) => void;

/** Does the content of `pieces` contain `needle`, also across the joins? */
export function piecesInclude(pieces: readonly Buffer[], needle: Buffer): boolean {
  for (let i = 0; i < pieces.length; i++) {
    if (pieces[i]!.includes(needle)) return true;
    if (i > 0 && needle.length > 1) {
      const k = needle.length - 1;
      const join = Buffer.concat([pieces[i - 1]!.subarray(-k), pieces[i]!.subarray(0, k)]);
      if (join.includes(needle)) return true;
    }
  }
  return false;
}

/** Parses cat-file's batch output as it streams; `content` is null for a missing object. */
export class BatchParser {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private header: { id: string; size: number } | undefined;
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly onBlob: BlobHandler) {}

  push(chunk: Buffer): void {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    let pos = 0;
    while (pos < buf.length) {
      if (this.header) {
        const need = this.header.size + 1 - this.pendingBytes; // content and its newline
        const available = buf.length - pos;
        if (available < need) {
          this.pending.push(buf.subarray(pos));
          this.pendingBytes += available;
          return;
        }
        const { id, size } = this.header;
        const pieces = this.pending;
        // Without the newline that ends each object (when only it is left, the pieces are the content).
        if (need > 1) pieces.push(buf.subarray(pos, pos + need - 1));
        this.pending = [];
        this.pendingBytes = 0;
        this.header = undefined;
        this.onBlob(id, pieces, size);
        pos += need;
        continue;
      }
      const eol = buf.indexOf(10, pos);
      if (eol === -1) {
        this.carry = Buffer.from(buf.subarray(pos));
        return;
      }
      const line = buf.toString('latin1', pos, eol);
      pos = eol + 1;
      const [id = '', type = '', size = ''] = line.split(' ');
      if (type === 'missing' || type === 'ambiguous') {
        this.onBlob(id, null, 0);
        continue;
      }
      if (!/^\d+$/.test(size)) throw new Error(`unexpected output from git cat-file: "${line.slice(0, 80)}"`);
      this.header = { id, size: Number(size) };
    }
  }

  /** True when the stream ended between objects. */
  get complete(): boolean {
    return this.header === undefined && this.carry.length === 0;
  }
}

/** Starts a cat-file that reads the ids written to it; `onBlob` sees each object as it arrives. */
export async function startBlobReader(cwd: string, onBlob: BlobHandler): Promise<GitStream & { parser: BatchParser }> {
  const parser = new BatchParser(onBlob);
  const stream = await streamGit(['cat-file', '--batch', '--buffer'], cwd, (chunk) => parser.push(chunk));
  return { ...stream, parser };
}
