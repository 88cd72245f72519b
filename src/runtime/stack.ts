import { warehouseLimits, type Config } from '../config.js';
import { schemaDir } from '@engagement/contract/node';
import { startCubeServer, type RunningCube } from '../cube/server.js';
import { openMigratedWarehouse, type WarehouseSession } from '../warehouse/index.js';
import { StartError } from './errors.js';
import { describePortOwner, portIsFree } from './port-owner.js';
import { resolveApiSecret } from './secret.js';
import { stopOnShutdown } from './shutdown.js';

export interface Stack {
  session: WarehouseSession;
  cube: RunningCube;
  apiSecret: string;
  close(): Promise<void>;
}

export interface StackOptions {
  /** 0 picks a free port. */
  port: number;
  beforeCube?: (session: WarehouseSession) => Promise<void>;
  /** false: Cube serves the model without its rollups (see CubeServerOptions). */
  preAggregations?: boolean;
  /** Use a running `npm start`'s embedded warehouse when there is one (see OpenOptions). */
  joinRunningWarehouse?: boolean;
}

async function portTaken(port: number): Promise<StartError> {
  const owner = await describePortOwner(port);
  return new StartError(
    `CUBE_PORT ${port} is taken${owner ? ` by ${owner}` : ''}, so Cube cannot listen on it. ` +
      'Stop that program (an `npm start` already running?) or set CUBE_PORT to a free port.',
  );
}

/** Warehouse (migrated) and a Cube server over it; a signal or crash stops both, Cube first. */
export async function startStack(config: Config, options: StackOptions): Promise<Stack> {
  // Before the warehouse starts and seeds, so a taken port is reported in a second, not after the seed.
  if (options.port !== 0 && !(await portIsFree(options.port))) throw await portTaken(options.port);
  const session = await openMigratedWarehouse(config, { joinRunning: options.joinRunningWarehouse ?? false });
  try {
    await options.beforeCube?.(session);
    const apiSecret = await resolveApiSecret(config);
    const cube = await startCubeServer({
      databaseUrl: session.warehouse.url,
      port: options.port,
      apiSecret,
      schemaPath: schemaDir,
      maxTokenLifetime: config.TOKEN_MAX_LIFETIME,
      http: { mode: config.ENGAGEMENT_MODE, corsOrigins: config.CORS_ORIGINS },
      limits: warehouseLimits(config),
      answerCacheSeconds: config.CUBE_ANSWER_CACHE_SECONDS,
      ...(options.preAggregations === undefined ? {} : { preAggregations: options.preAggregations }),
    }).catch(async (error: unknown) => {
      throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? await portTaken(options.port) : error;
    });
    const stopCube = stopOnShutdown(() => cube.stop());
    return {
      session,
      cube,
      apiSecret,
      close: async () => {
        await stopCube();
        await session.close();
      },
    };
  } catch (error) {
    await session.close();
    throw error;
  }
}
