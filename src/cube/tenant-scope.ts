import { CubejsHandlerError } from '@cubejs-backend/api-gateway';
import type { CubeMember, MetaCube } from '@engagement/contract';
import { parseSecurityContext, tenantOf } from './auth.js';

/** Every cube and view exposes this dimension; the tenant filter is applied to it. */
export const TENANT_DIMENSION = 'tenant_id';

type Member = string | { cubeName?: unknown };

interface Filter {
  member?: Member;
  dimension?: Member;
  operator?: string;
  values?: unknown[];
  and?: Filter[];
  or?: Filter[];
}

/** The parts of a (normalized) Cube REST query that name members. */
export interface ScopableQuery {
  measures?: Member[];
  dimensions?: Member[];
  segments?: Member[];
  timeDimensions?: { dimension: Member }[];
  filters?: Filter[];
  order?: [Member, string][] | Record<string, string>;
}

type TenantFilter =
  | { member: string; operator: 'equals'; values: [string] }
  | { or: [{ member: string; operator: 'equals'; values: [string] }, { member: string; operator: 'notSet' }] };
function cubeOf(member: Member): string {
  if (typeof member === 'string') {
    const cube = member.split('.')[0];
    if (cube) return cube;
  } else if (typeof member === 'object' && member !== null && typeof member.cubeName === 'string') {
    // A member expression (SQL API): it belongs to the cube it names.
    return member.cubeName;
  }
  // Fail closed: a member we cannot attribute to a cube could escape the tenant filter.
  throw new CubejsHandlerError(400, 'User Error', `Cannot tell which cube the member ${JSON.stringify(member)} belongs to.`);
}

function filterMembers(filters: Filter[]): Member[] {
  return filters.flatMap((filter) => [
    ...(filter.member !== undefined ? [filter.member] : []),
    ...(filter.dimension !== undefined ? [filter.dimension] : []),
    ...filterMembers(filter.and ?? []),
    ...filterMembers(filter.or ?? []),
  ]);
}

function orderMembers(order: ScopableQuery['order']): Member[] {
  if (!order) return [];
  return Array.isArray(order) ? order.map(([member]) => member) : Object.keys(order);
}

/** Names of the cubes and views a query touches anywhere, sorted. */
export function referencedCubes(query: ScopableQuery): string[] {
  const members: Member[] = [
    ...(query.measures ?? []),
    ...(query.dimensions ?? []),
    ...(query.segments ?? []),
    ...(query.timeDimensions ?? []).map((td) => td.dimension),
    ...filterMembers(query.filters ?? []),
    ...orderMembers(query.order),
  ];
  return [...new Set(members.map(cubeOf))].sort();
}

/**
 * Adds a filter on `<cube>.tenant_id` for every cube or view the query touches. Filters at the
 * top level are ANDed, so nothing the caller put in the query (an OR on tenant_id included) can
 * widen the result past the tenant.
 *
 * A query on one cube or view gets `tenant_id = tenant`. A query on several gets
 * `tenant_id = tenant OR tenant_id IS NULL` on each, because all but the root of Cube's join
 * are LEFT JOINed and a strict filter on one of them would drop the root's rows that have no
 * match there (anonymous web sessions by customer plan). The NULL is safe: `tenant_id` is NOT
 * NULL in every table, so it is NULL only on the empty side of a missed join; the root's own
 * rows, never NULL, must equal the tenant; and a joined row that is present carries a tenant
 * id that must equal it too. A view is one name: its `tenant_id` is its root cube's, or
 * tenant_scope's, which every root of the view joins many-to-one by its own tenant_id (checked by
 * test/cube/tenant-scope.test.ts), so the strict filter suits it and its rollups.
 */
export function scopeQueryToTenant<Q extends ScopableQuery>(query: Q, tenant: string): Q & { filters: Filter[] } {
  const cubes = referencedCubes(query);
  const tenantFilters: TenantFilter[] = cubes.map((cube) => {
    const member = `${cube}.${TENANT_DIMENSION}`;
    const equals = { member, operator: 'equals' as const, values: [tenant] as [string] };
    return cubes.length === 1 ? equals : { or: [equals, { member, operator: 'notSet' as const }] };
  });
  return { ...query, filters: [...(query.filters ?? []), ...tenantFilters] };
}

/** Cube's `queryRewrite`: tenant tokens get their tenant's rows only, admin tokens get all. */
export async function queryRewrite<Q extends ScopableQuery>(query: Q, context: { securityContext?: unknown }): Promise<Q> {
  const securityContext = parseSecurityContext(context.securityContext);
  if (!securityContext) {
    throw new CubejsHandlerError(403, 'Forbidden', 'The request has no tenant: refusing to run a query that is not scoped to one.');
  }
  const tenant = tenantOf(securityContext);
  return tenant === null ? query : scopeQueryToTenant(query, tenant);
}

/** What the check reads of a cube or view from `/v1/meta` (or the compiler's meta config). */
type ScopedCube = Pick<MetaCube, 'name'> & { type?: string; dimensions: readonly Pick<CubeMember, 'name'>[] };

export class TenantScopeError extends Error {
  override name = 'TenantScopeError';
}

/** Throws, naming each one, when a cube or view lacks the tenant dimension the filter needs. */
export function assertTenantScoped(metaCubes: readonly ScopedCube[]): void {
  const unscoped = metaCubes.filter((cube) => !cube.dimensions.some((dimension) => dimension.name === `${cube.name}.${TENANT_DIMENSION}`));
  if (unscoped.length > 0) {
    const names = unscoped.map((cube) => `${cube.type ?? 'cube'} ${cube.name}`).join(', ');
    throw new TenantScopeError(
      `Every cube and view must have a \`${TENANT_DIMENSION}\` dimension so queries can be limited to one tenant; missing in: ${names}.`,
    );
  }
}
