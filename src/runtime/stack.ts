import type { Config } from '../config.js';
import { schemaDir } from '@engagement/contract/node';
import { startCubeServer, type RunningCube } from '../cube/server.js';
import { openMigratedWarehouse, type WarehouseSession } from '../warehouse/index.js';
import { resolveApiSecret } from './secret.js';

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
}

/** Warehouse (migrated) and a Cube server over it. */
export async function startStack(config: Config, options: StackOptions): Promise<Stack> {
  const session = await openMigratedWarehouse(config);
  try {
    await options.beforeCube?.(session);
    const apiSecret = await resolveApiSecret(config);
    const cube = await startCubeServer({
      databaseUrl: session.warehouse.url,
      port: options.port,
      apiSecret,
      schemaPath: schemaDir,
      ...(options.preAggregations === undefined ? {} : { preAggregations: options.preAggregations }),
    });
    return {
      session,
      cube,
      apiSecret,
      close: async () => {
        await cube.stop();
        await session.close();
      },
    };
  } catch (error) {
    await session.close();
    throw error;
  }
}
