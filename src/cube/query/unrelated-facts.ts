/** One join of the tree Cube builds for a query (BaseQuery#join.joins), relationship normalized by Cube. */
export interface JoinEdge {
  from: string;
  to: string;
  join: { relationship: string };
}

/** A member the query names, and the cube whose rows it reads (a view's member: the cube it comes from). */
export interface QueryMember {
  name: string;
  cube: string;
}

/**
 * Whether walking from `from` to `to` through the join tree crosses a join that gives each row of
 * `from` many rows of `to`'s side: a one-to-many join taken forwards or a many-to-one join taken
 * backwards. That is how Cube decides a measure is multiplied (JoinGraph#checkIfCubeMultiplied).
 */
function fansOut(from: string, to: string, joins: readonly JoinEdge[]): { fansOut: boolean; through: string[] } | null {
  const seen = new Set([from]);
  const queue: { cube: string; fansOut: boolean; path: string[] }[] = [{ cube: from, fansOut: false, path: [from] }];
  while (queue.length) {
    const step = queue.shift()!;
    if (step.cube === to) return { fansOut: step.fansOut, through: step.path.slice(1, -1) };
    for (const edge of joins) {
      const forwards = edge.from === step.cube;
      if (!forwards && edge.to !== step.cube) continue;
      const next = forwards ? edge.to : edge.from;
      if (seen.has(next)) continue;
      seen.add(next);
      const many = forwards ? edge.join.relationship === 'hasMany' : edge.join.relationship === 'belongsTo';
      queue.push({ cube: next, fansOut: step.fansOut || many, path: [...step.path, next] });
    }
  }
  return null;
}

/** A pair of facts the query would join row by row, and the cubes they meet through. */
export interface UnrelatedFacts {
  facts: [string, string];
  through: string[];
}

/**
 * Pairs of cubes in the query each of which the join to the other fans out: two fact tables that
 * meet only through a cube they both hang from (NPS answers and web sessions through the tenant),
 * so that Cube pairs every row of one with every row of the other before it aggregates. A cube
 * with its own details (customers and their answers) fans out one way only: that is one fact.
 */
export function unrelatedFacts(cubes: readonly string[], joins: readonly JoinEdge[]): UnrelatedFacts[] {
  const distinct = [...new Set(cubes)];
  const pairs: UnrelatedFacts[] = [];
  distinct.forEach((a, i) => {
    for (const b of distinct.slice(i + 1)) {
      const there = fansOut(a, b, joins);
      const back = fansOut(b, a, joins);
      if (there?.fansOut && back?.fansOut) pairs.push({ facts: [a, b], through: there.through });
    }
  });
  return pairs;
}

const quoted = (names: readonly string[]) => names.map((name) => `"${name}"`).join(', ');

/** The refusal: which members read which fact, why that is slow, and what to ask instead. */
export function unrelatedFactsMessage(members: readonly QueryMember[], pairs: readonly UnrelatedFacts[]): string {
  const facts = [...new Set(pairs.flatMap((pair) => pair.facts))];
  const byFact = facts.map((fact) => {
    const names = [...new Set(members.filter((member) => member.cube === fact).map((member) => member.name))];
    return `${quoted(names)} from ${fact}`;
  });
  const through = [...new Set(pairs.flatMap((pair) => pair.through))];
  return (
    `Query refused: it combines unrelated facts, ${byFact.join('; ')}. They meet only through ${through.join(', ') || 'their shared keys'}, ` +
    'so the warehouse would pair every row of one with every row of the other before aggregating, which is slow on large data, ' +
    'and no rollup covers the query. Ask for each fact in a separate query (as the dashboards do).'
  );
}
