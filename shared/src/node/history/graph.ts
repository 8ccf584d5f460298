/** The commit graph, for "which refs still reach this commit" and "is it in HEAD's past". */
import { streamGit } from './git-stream.js';

export class CommitGraph {
  private readonly index = new Map<string, number>();
  private readonly parents: number[][] = [];
  private children: number[][] | undefined;

  add(id: string, parentIds: readonly string[]): void {
    const i = this.indexOf(id);
    this.parents[i] = parentIds.map((p) => this.indexOf(p));
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  private indexOf(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.parents.length;
      this.index.set(id, i);
      this.parents.push([]);
    }
    return i;
  }

  /** The commits reachable from `tips` (themselves included). */
  ancestors(tips: readonly string[]): Set<number> {
    return this.walk(tips, (i) => this.parents[i] ?? []);
  }

  /** The commits that have one of `roots` in their past (themselves included). */
  descendants(roots: readonly string[]): Set<number> {
    if (!this.children) {
      const children: number[][] = this.parents.map(() => []);
      this.parents.forEach((ps, child) => ps.forEach((p) => children[p]!.push(child)));
      this.children = children;
    }
    const children = this.children;
    return this.walk(roots, (i) => children[i] ?? []);
  }

  contains(set: Set<number>, id: string): boolean {
    const i = this.index.get(id);
    return i !== undefined && set.has(i);
  }

  private walk(starts: readonly string[], next: (i: number) => number[]): Set<number> {
    const seen = new Set<number>();
    const stack = starts.map((id) => this.index.get(id)).filter((i): i is number => i !== undefined);
    while (stack.length) {
      const i = stack.pop()!;
      if (seen.has(i)) continue;
      seen.add(i);
      for (const n of next(i)) if (!seen.has(n)) stack.push(n);
    }
    return seen;
  }
}

/** Every commit reachable from `tips`, with its parents (one git rev-list; no diffs, so fast). */
export async function readGraph(cwd: string, tips: readonly string[]): Promise<CommitGraph> {
  const graph = new CommitGraph();
  if (tips.length === 0) return graph;
  let carry = '';
  const stream = await streamGit(['rev-list', '--parents', '--stdin'], cwd, (chunk) => {
    const lines = (carry + chunk.toString('latin1')).split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) {
      const [id = '', ...parents] = line.split(' ');
      if (id) graph.add(id, parents);
    }
  });
  stream.write(`${[...new Set(tips)].join('\n')}\n`);
  stream.end();
  await stream.done;
  return graph;
}
