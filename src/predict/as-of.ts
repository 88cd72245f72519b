import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import YAML from 'yaml';
import { schemaDir } from '@engagement/contract/node';

/**
 * The observation end of schema/cubes/observation.yml, read from that file so it is defined
 * once: tenants.data_through when set, else the tenant's latest event, to the next UTC midnight.
 */
function observationSql(): string {
  const file = path.join(schemaDir, 'cubes', 'observation.yml');
  const model = YAML.parse(fs.readFileSync(file, 'utf8')) as { cubes: { name: string; sql: string }[] };
  const cube = model.cubes.find((c) => c.name === 'observation');
  if (!cube || /\{/.test(cube.sql)) throw new Error(`${file}: expected the observation cube's SQL, with no Cube references in it.`);
  return cube.sql;
}

/** Each tenant's default as-of instant; null for a tenant with no data at all. */
export async function observationEnds(db: Knex): Promise<Map<string, Date | null>> {
  const { rows } = await db.raw(`SELECT tenant_id, observed_until FROM (${observationSql()}) o ORDER BY tenant_id`);
  return new Map((rows as { tenant_id: string; observed_until: Date | null }[]).map((r) => [r.tenant_id, r.observed_until]));
}
