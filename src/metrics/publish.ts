import { startCubeServer } from '../cube/server.js';
import { mintToken } from '../cube/tokens.js';
import { schemaDir } from '@engagement/contract/node';
import { CubeClient } from '../cube/client.js';
import type { WarehouseSession } from '../warehouse/index.js';
import { refreshMetricsViews } from './views.js';

/**
 * Recreates the `metrics` functions and views from a short-lived Cube that serves the model
 * without its rollups: Cube replaces rollup tables under new names on every refresh, so they must
 * read the raw tables. Returns the views' names.
 */
export async function publishMetricsViews(session: WarehouseSession, apiSecret: string): Promise<string[]> {
  const cube = await startCubeServer({
    databaseUrl: session.warehouse.url,
    port: 0,
    apiSecret,
    schemaPath: schemaDir,
    preAggregations: false,
  });
  try {
    const admin = new CubeClient(cube.apiUrl, mintToken(apiSecret, { admin: true }, { expiresIn: '10m' }));
    return await refreshMetricsViews(session.db, admin);
  } finally {
    await cube.stop();
  }
}
