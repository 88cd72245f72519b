import { colour as pc } from '../colour.js';
import { loadConfig } from '../../config.js';
import { mintToken } from '../../cube/tokens.js';
import { describeWarmUp, warmBoards } from '../../cube/warm-up.js';
import { startStack } from '../../runtime/stack.js';
import { untilSignalled } from '../../runtime/shutdown.js';
import { listTenants } from '../../warehouse/tenant-list.js';
import { printReport } from './report.js';
import { predictWithProgress } from './predict.js';
import { describeLoad, printTableCounts, seedWithProgress, startOfToday } from './seed.js';

export async function startCommand(): Promise<void> {
  const config = loadConfig();
  const started = Date.now();
  const stack = await startStack(config, {
    port: config.CUBE_PORT,
    beforeCube: async (session) => {
      const where =
        session.warehouse.kind === 'embedded' ? `embedded PostgreSQL on port ${config.PG_PORT} (${config.dataDir})` : 'DATABASE_URL';
      console.log(`Warehouse: ${where}.`);
      const result = await seedWithProgress(session.warehouse.url, {
        customers: config.SEED_CUSTOMERS,
        seed: config.SEED,
        until: startOfToday(),
        reset: false,
      });
      console.log(result.skipped ? 'Seed data already loaded (npm run seed -- --reset to start over).' : `Seeded ${describeLoad(result)}.`);
      await printTableCounts(session.db);
      // Fresh data, or a warehouse seeded before predictions existed: fit before Cube serves them.
      if (!result.skipped || !(await session.db('prediction_fits').first())) await predictWithProgress(session.db, {});
    },
  });
  try {
    const { cube, apiSecret } = stack;
    console.log(`\nCube: ${cube.url} (REST API ${cube.apiUrl}; SQL API ${cube.sqlApi}).\n`);
    const tenants = await listTenants(stack.session.db);
    await printReport(cube.apiUrl, apiSecret, tenants, {});

    const [tenant] = tenants;
    console.log(`\nConnect Grafana: data source URL ${cube.url}, token for tenant ${tenant} (valid 30 days):`);
    console.log(`  ${mintToken(apiSecret, { tenant }, { expiresIn: '30d' })}`);
    console.log('Other tenants: npm run token -- --tenant <id>. SQL views for analysts: npm run metrics.');
    console.log(pc.green(`\nReady in ${((Date.now() - started) / 1000).toFixed(1)} s. Press Ctrl-C to stop.`));
    console.log("Rollups: opening every board for every tenant in the background, so the boards' first open is fast…");
    void warmBoards({ apiUrl: cube.apiUrl, apiSecret, tenants }).then(
      (result) => console.log((result.failed.length ? pc.yellow : pc.green)(describeWarmUp(result))),
      (error: unknown) => console.log(pc.yellow(`Rollups: warm-up stopped (${error instanceof Error ? error.message : String(error)}).`)),
    );
  } catch (error) {
    await stack.close();
    throw error;
  }
  // Serves until SIGINT, SIGTERM or SIGHUP, which stop Cube and then the warehouse.
  await untilSignalled();
}
