import { createHash } from 'node:crypto';
import { PRE_AGGREGATIONS_SCHEMA } from '../../migrations/20261123000000_pre_aggregations_schema.js';

/**
 * The warehouse schema Cube builds its rollup tables in for admin contexts (there is no Cube
 * Store here; the migration that creates it names it); each tenant's rollups go in a schema of
 * their own, `<this>_<slug>`.
 */
export { PRE_AGGREGATIONS_SCHEMA };
export const ADMIN_ROLLUP_SCHEMA = PRE_AGGREGATIONS_SCHEMA;

const PLAIN_TENANT_ID = /^[a-z0-9_]{1,24}$/;

/**
 * A tenant id as a safe, short identifier for role and schema names: `t_<id>` when the id is
 * plain lower-case, else `h_` and a hash of it (never mistaken for a `t_` one).
 */
export function tenantSlug(tenant: string): string {
  return PLAIN_TENANT_ID.test(tenant) ? `t_${tenant}` : `h_${createHash('sha256').update(tenant).digest('hex').slice(0, 16)}`;
}

/**
 * A tenant's rollups are built by its own role, which sees only its rows, so they cannot be
 * shared: Cube names a rollup table by its SQL, the same for every tenant.
 */
export function tenantRollupSchema(tenant: string): string {
  return `${PRE_AGGREGATIONS_SCHEMA}_${tenantSlug(tenant)}`;
}
