import path from 'node:path';
import { readModel } from '@engagement/contract/node';
import type { Knex } from 'knex';
import type { CubeClient } from '../cube/client.js';
import { readCatalog } from './catalog.js';
import { kpiReads } from './kpi-reads.js';
import { renderWarehouseDoc } from './warehouse-doc.js';

/** Where the contract lives in the repository. */
export const warehouseDocPath = path.resolve(import.meta.dirname, '../../docs/warehouse.md');

/**
 * docs/warehouse.md from a migrated warehouse (`db`, its catalog) and a Cube serving the model
 * over it without rollups (`admin`, an admin token's client: the SQL of every KPI).
 */
export async function generateWarehouseDoc(db: Knex, admin: CubeClient): Promise<string> {
  const catalog = await readCatalog(db);
  const kpis = [];
  for (const kpi of readModel().kpis) kpis.push({ kpi, reads: await kpiReads(db, admin, kpi) });
  return renderWarehouseDoc(catalog, kpis);
}
