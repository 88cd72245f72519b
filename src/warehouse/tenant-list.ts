import type { Knex } from 'knex';

/**
 * Every tenant of the warehouse, from the tenants table: whatever data a tenant has loaded (a
 * tenant with customers but no campaigns is one too). Worked-example tenants come last, so the
 * first is a real one.
 */
export async function listTenants(db: Knex): Promise<string[]> {
  const ids = (await db('tenants').orderBy('id').pluck('id')) as string[];
  return [...ids.filter((id) => !id.startsWith('example_')), ...ids.filter((id) => id.startsWith('example_'))];
}
