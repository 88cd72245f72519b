import type { CubeQuery } from '../types';

/** A Cube query with a patch applied: a key patched to undefined is removed, not kept as undefined. */
export function patchQuery(query: CubeQuery, patch: Partial<CubeQuery>): CubeQuery {
  const next = { ...query, ...patch };
  for (const key of Object.keys(patch) as Array<keyof CubeQuery>) if (patch[key] === undefined) delete next[key];
  return next;
}
