import type { CubeQuery } from '@engagement/contract';
import { leafFilters } from './limits.js';
import type { QueryMember } from './unrelated-facts.js';

/** The part of Cube's CubeEvaluator that says where a member comes from. */
export interface MemberOwners {
  /** A member's definition; a view's member has `aliasMember`, the path of the member it shows. */
  byPathAnyType(path: string): { aliasMember?: string };
  /** A cube's definition, with the `meta` its YAML gives it. */
  cubeFromPath(path: string): { meta?: Record<string, unknown> };
}

/**
 * A cube whose meta says `breakdown: true` describes customers month by month (RFM segments,
 * health) rather than being a fact of its own; any KPI may be broken down by it.
 */
export function isBreakdown(cube: string, owners: MemberOwners): boolean {
  return owners.cubeFromPath(cube).meta?.breakdown === true;
}

/** The cube whose rows a member reads: a view's member is followed to the cube it comes from. */
export function owningCube(name: string, owners: MemberOwners): string {
  let path = name;
  for (let alias = owners.byPathAnyType(path).aliasMember; alias; alias = owners.byPathAnyType(path).aliasMember) path = alias;
  // An alias may be written with its join path ("tenants.survey_responses.nps"): the cube is next to last.
  const parts = path.split('.');
  return parts[parts.length - 2]!;
}

/** Every member a query names (measures, dimensions, time dimensions, filters, segments), with its cube. */
export function queryMembers(query: CubeQuery, owners: MemberOwners): QueryMember[] {
  const names = [
    ...(query.measures ?? []),
    // "cube.time.month" as a dimension is the time dimension "cube.time".
    ...(query.dimensions ?? []).map((name) => name.split('.').slice(0, 2).join('.')),
    ...(query.timeDimensions ?? []).map((td) => td.dimension),
    ...leafFilters(query.filters ?? []).map(({ filter }) => (filter.member ?? filter.dimension)!),
    ...(query.segments ?? []),
  ];
  return [...new Set(names)].map((name) => ({ name, cube: owningCube(name, owners) }));
}
