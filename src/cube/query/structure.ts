import { InvalidQueryError } from './error.js';
import { fieldPath } from './issues.js';

export interface StructureLimits {
  /** Nested and/or filter groups. */
  maxFilterDepth: number;
}

// A walked value; the path to it is kept as a parent link, built only for a message.
interface Node {
  value: unknown;
  key?: PropertyKey;
  parent?: Node;
  depth: number;
  groups: number;
}

/** The field's path, or its first `prefix` keys. */
function where(node: Node, prefix = Infinity): string {
  const path: PropertyKey[] = [];
  for (let at: Node | undefined = node; at?.parent; at = at.parent) path.unshift(at.key!);
  return fieldPath(path.slice(0, prefix)) || 'the query';
}

// Besides filter groups, a query nests at most a few levels (query array, timeDimensions,
// compareDateRange, its range, a value).
const OTHER_NESTING = 8;

/**
 * Walks a decoded request without recursion, before anything else looks at it: a filter nested
 * 100,000 deep would overflow the stack of any recursive reader (Cube's Joi schema reports it as
 * a wrong type; JSON.stringify in its request log throws), and a NUL byte in a string reaches
 * PostgreSQL, which refuses it with a database error. The request must be an object or an array.
 */
export function assertSaneStructure(input: unknown, limits: StructureLimits): void {
  // Cube's /load reads `query.responseFormat` straight away: null was a 500 TypeError.
  if (typeof input !== 'object' || input === null) {
    throw new InvalidQueryError(`Invalid query: expected a JSON object (or an array of them), got ${JSON.stringify(input)}.`);
  }
  const maxDepth = 2 * limits.maxFilterDepth + OTHER_NESTING;
  const stack: Node[] = [{ value: input, depth: 0, groups: 0 }];
  while (stack.length) {
    const node = stack.pop()!;
    const { value, depth, groups } = node;
    if (typeof value === 'string') {
      if (value.includes('\u0000'))
        throw new InvalidQueryError(`Invalid query: ${where(node)}: a NUL byte (\\u0000) is not allowed in a string.`);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (groups > limits.maxFilterDepth) {
      throw new InvalidQueryError(
        `Invalid query: filters are nested too deep (more than ${limits.maxFilterDepth} levels of "and"/"or" groups); ` +
          'the limit is QUERY_MAX_FILTER_DEPTH.',
      );
    }
    if (depth > maxDepth) {
      throw new InvalidQueryError(`Invalid query: ${where(node, 4)}…: the query is nested too deep (more than ${maxDepth} levels).`);
    }
    const entries: [PropertyKey, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
    for (const [key, item] of entries) {
      if (typeof key === 'string' && key.includes('\u0000'))
        throw new InvalidQueryError(`Invalid query: ${where(node)}: a NUL byte (\\u0000) is not allowed in a field name.`);
      const isGroup = (key === 'and' || key === 'or') && Array.isArray(item);
      stack.push({ value: item, key, parent: node, depth: depth + 1, groups: groups + (isGroup ? 1 : 0) });
    }
  }
}
