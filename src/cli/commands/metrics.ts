import { loadConfig } from '../../config.js';
import { publishMetricsViews } from '../../metrics/publish.js';
import { resolveApiSecret } from '../../runtime/secret.js';
import { openMigratedWarehouse } from '../../warehouse/index.js';

/** Recreates the `metrics` schema's functions and views from Cube's SQL. */
export async function metricsCommand(): Promise<void> {
  const config = loadConfig();
  // The views go into a running `npm start`'s warehouse when there is one.
  const session = await openMigratedWarehouse(config, { joinRunning: true });
  try {
    const views = await publishMetricsViews(session, await resolveApiSecret(config));
    console.log(`Published ${views.length} views (and their functions):\n  ${views.join('\n  ')}`);
  } finally {
    await session.close();
  }
}
