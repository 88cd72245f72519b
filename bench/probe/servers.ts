import { schemaDir } from '@engagement/contract/node';
import { startCubeServer, type RunningCube } from '../../src/cube/server.js';
import type { ProbeWarehouses } from './warehouses.js';

/** The Cube under test over the shared warehouse, and one oracle Cube per isolated copy. */
export interface ProbeServers {
  target: RunningCube;
  /** Tenant id → Cube over the warehouse holding that tenant's rows only. */
  oracles: Map<string, RunningCube>;
  /** Cube over the warehouse holding no tenant's rows. */
  empty: RunningCube;
  stop(): Promise<void>;
}

/**
 * Every server runs the same model and options; only the data differs. Cube's log is dropped.
 * Their statement timeout must be shorter than the probe's wait, so that a query too costly to
 * run is answered with Cube's refusal (CUBE_STATEMENT_TIMEOUT's 400), not counted as a hang.
 */
export async function startProbeServers(
  warehouses: ProbeWarehouses,
  apiSecret: string,
  statementTimeoutSeconds: number,
  targetPort = 0,
): Promise<ProbeServers> {
  const started: RunningCube[] = [];
  const start = async (databaseUrl: string, port = 0) => {
    const cube = await startCubeServer({
      databaseUrl,
      port,
      apiSecret,
      schemaPath: schemaDir,
      logger: () => {},
      limits: { statementTimeoutSeconds },
    });
    started.push(cube);
    return cube;
  };
  const stop = async () => {
    await Promise.all(started.map((cube) => cube.stop()));
  };
  try {
    const target = await start(warehouses.sharedUrl, targetPort);
    const oracles = new Map<string, RunningCube>();
    for (const [tenant, url] of warehouses.isolatedUrls) oracles.set(tenant, await start(url));
    const empty = await start(warehouses.emptyUrl);
    return { target, oracles, empty, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
