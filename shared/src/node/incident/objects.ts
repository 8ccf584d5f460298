/**
 * Every object in a git database, reachable or not (`git cat-file --batch-all-objects`), searched for a key
 * in every form the echo finder knows. The history scan finds what commits added by fingerprint; this also
 * finds forms only the key itself reveals (`Basic base64(user:key)` in a blob, a key in a tree's file name)
 * and objects no ref reaches any more, which a clone of the database still carries.
 */
import { spawn } from 'node:child_process';

export interface ObjectSearch {
  objects: number;
  /** Objects holding the key, by id and type. */
  withKey: { id: string; type: string }[];
  /** Objects over the size limit, not searched. */
  tooLarge: number;
}

/** `finder` returns the spans of the key in a text; objects are read as latin1, byte for character. */
export function searchObjects(
  gitDir: string,
  finder: (text: string) => readonly unknown[],
  maxBytes: number,
): Promise<ObjectSearch> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch-all-objects', '--batch', '--unordered'], {
      cwd: gitDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result: ObjectSearch = { objects: 0, withKey: [], tooLarge: 0 };
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    // The object being read: its header, how many content bytes (and the newline after) are still due.
    let current: { id: string; type: string; size: number; due: number; keep: boolean } | undefined;
    let header = '';
    const finish = () => {
      const c = current!;
      result.objects++;
      if (c.keep) {
        const content = Buffer.concat(pending, pendingBytes).subarray(0, c.size).toString('latin1');
        if (finder(content).length > 0) result.withKey.push({ id: c.id, type: c.type });
      } else result.tooLarge++;
      pending = [];
      pendingBytes = 0;
      current = undefined;
    };
    child.stdout.on('data', (chunk: Buffer) => {
      let at = 0;
      while (at < chunk.length) {
        if (!current) {
          const nl = chunk.indexOf(10, at);
          if (nl === -1) {
            header += chunk.subarray(at).toString('latin1');
            return;
          }
          header += chunk.subarray(at, nl).toString('latin1');
          at = nl + 1;
          const [id = '', type = '', size = ''] = header.split(' ');
          header = '';
          if (type === 'missing') continue;
          const n = Number(size);
          current = { id, type, size: n, due: n + 1, keep: n <= maxBytes };
          if (current.due === 0) finish();
          continue;
        }
        const take = Math.min(current.due, chunk.length - at);
        if (current.keep) {
          pending.push(chunk.subarray(at, at + take));
          pendingBytes += take;
        }
        current.due -= take;
        at += take;
        if (current.due === 0) finish();
      }
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(result) : reject(new Error(`git cat-file failed (exit ${code})`)),
    );
  });
}
