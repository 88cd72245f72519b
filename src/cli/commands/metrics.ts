import { loadConfig } from '../../config.js';
import { mintToken } from '../../cube/tokens.js';
import { refreshMetricsViews } from '../../metrics/views.js';
import { CubeClient } from '../../report/cube-client.js';
import { startStack } from '../../runtime/stack.js';

/**
 * Recreates the `metrics` schema's views from Cube's SQL. The views must read the raw tables:
 * Cube replaces its rollup tables under new names on every refresh, so the SQL comes from a
 * Cube serving the model without them.
 */
export async function metricsCommand(): Promise<void> {
  const stack = await startStack(loadConfig(), { port: 0, preAggregations: false });
  try {
    const admin = new CubeClient(stack.cube.apiUrl, mintToken(stack.apiSecret, { admin: true }, { expiresIn: '10m' }));
    const views = await refreshMetricsViews(stack.session.db, admin);
    console.log(`Refreshed ${views.length} views:\n  ${views.join('\n  ')}`);
  } finally {
    await stack.close();
  }
}
