/**
 * Annotated tag objects: their messages are text someone wrote and pushed, like a commit's, and can hold a
 * key. All are read by one `git cat-file --batch`; a tag of a tag is followed to the tag it names.
 */
import { startBlobReader } from './blob-reader.js';

export interface TagObject {
  /** The tag object's id. */
  id: string;
  /** The ref that names it (the first one, for a tag object several refs name); for a nested tag, the outer ref. */
  ref: string;
  /** The name in the tag object itself (`tag v1.0`). */
  name: string;
  /** The object it points at, and that object's type (commit, tag, tree, blob). */
  target: string;
  targetType: string;
  tagger: string;
  /** ISO 8601, from the tagger line; empty when the tag has none (very old git). */
  date: string;
  message: string;
}

/** `Name <email> 1700000000 +0100` → { who: 'Name <email>', date: ISO with that offset }. */
function parseTagger(line: string): { who: string; date: string } {
  const m = /^(.*) (\d+) ([+-])(\d\d)(\d\d)$/.exec(line);
  if (!m) return { who: line, date: '' };
  const offset = (m[3] === '-' ? -1 : 1) * (Number(m[4]) * 60 + Number(m[5]));
  const local = new Date((Number(m[2]) + offset * 60) * 1000).toISOString().slice(0, 19);
  return { who: m[1]!, date: `${local}${m[3]}${m[4]}:${m[5]}` };
}

export function parseTagObject(id: string, ref: string, content: string): TagObject {
  const split = content.indexOf('\n\n');
  const header = split === -1 ? content : content.slice(0, split);
  const field = (name: string) => new RegExp(`^${name} (.*)$`, 'm').exec(header)?.[1] ?? '';
  const tagger = parseTagger(field('tagger'));
  return {
    id,
    ref,
    name: field('tag'),
    target: field('object'),
    targetType: field('type'),
    tagger: tagger.who,
    date: tagger.date,
    message: split === -1 ? '' : content.slice(split + 2),
  };
}

/** Reads the tag objects (and the tags they point at, for a tag of a tag); missing ones are counted. */
export async function readTagObjects(
  cwd: string,
  tags: readonly { name: string; object: string }[],
): Promise<{ tags: TagObject[]; missing: number }> {
  const out: TagObject[] = [];
  const refOf = new Map<string, string>();
  for (const t of tags) if (!refOf.has(t.object)) refOf.set(t.object, t.name);
  let missing = 0;
  let queue = [...refOf.keys()];
  const seen = new Set(queue);
  while (queue.length) {
    const next: string[] = [];
    const reader = await startBlobReader(cwd, (id, pieces) => {
      if (pieces === null) {
        missing++;
        return;
      }
      const tag = parseTagObject(id, refOf.get(id)!, Buffer.concat(pieces).toString('utf8'));
      out.push(tag);
      if (tag.targetType === 'tag' && !seen.has(tag.target)) {
        seen.add(tag.target);
        refOf.set(tag.target, tag.ref);
        next.push(tag.target);
      }
    });
    for (const id of queue) reader.write(`${id}\n`);
    reader.end();
    await reader.done;
    queue = next;
  }
  return { tags: out, missing };
}
