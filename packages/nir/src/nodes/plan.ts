/**
 * Which edges of a (possibly cyclic) graph are recurrent, and the order nodes run in.
 *
 * A depth-first search starts at the input nodes (in name order), then at every node not yet reached
 * (in name order); from a node it follows its outgoing edges in the order the edge list gives them. An
 * edge that reaches a node still on the search path closes a cycle: it is recurrent, and carries the
 * value its source produced at the previous step (zero before the first step). Every other edge carries
 * the current step's value. The nodes run in reverse post-order of the search, a topological order of
 * the graph without its recurrent edges. The choice is deterministic: the same file always gives the
 * same recurrent edges (for the braille graph: `lif1.w_rec → lif1.lif`).
 */
export interface GraphPlan {
  readonly order: readonly string[];
  /** Indices into the edge list of the recurrent edges. */
  readonly recurrent: ReadonlySet<number>;
}

export function planGraph(
  names: readonly string[],
  edges: readonly (readonly [string, string])[],
  inputs: readonly string[],
): GraphPlan {
  const sorted = [...names].sort();
  const out = new Map<string, number[]>(sorted.map((n) => [n, []]));
  edges.forEach(([from], i) => {
    out.get(from)?.push(i);
  });
  const state = new Map<string, 'open' | 'done'>();
  const recurrent = new Set<number>();
  const post: string[] = [];
  const starts = [...[...inputs].sort(), ...sorted];
  for (const start of starts) {
    if (state.has(start) || !out.has(start)) continue;
    // Iterative DFS: each frame is a node and the position in its outgoing edge list.
    const stack: [string, number][] = [[start, 0]];
    state.set(start, 'open');
    while (stack.length) {
      const frame = stack[stack.length - 1]!;
      const [node, k] = frame;
      const list = out.get(node)!;
      if (k < list.length) {
        frame[1] = k + 1;
        const e = list[k]!;
        const next = edges[e]![1];
        const s = state.get(next);
        if (s === 'open') recurrent.add(e);
        else if (s === undefined && out.has(next)) {
          state.set(next, 'open');
          stack.push([next, 0]);
        }
      } else {
        state.set(node, 'done');
        post.push(node);
        stack.pop();
      }
    }
  }
  return { order: post.reverse(), recurrent };
}

/** Nodes reachable from `from` along the edges. */
export function reachable(
  from: readonly string[],
  edges: readonly (readonly [string, string])[],
): Set<string> {
  const seen = new Set(from);
  const queue = [...from];
  while (queue.length) {
    const n = queue.shift()!;
    for (const [a, b] of edges) {
      if (a === n && !seen.has(b)) {
        seen.add(b);
        queue.push(b);
      }
    }
  }
  return seen;
}
