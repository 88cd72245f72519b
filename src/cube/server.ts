import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApiGateway } from '@cubejs-backend/api-gateway';
import { CubejsServer, type CreateOptions } from '@cubejs-backend/server';
// The package builds module.exports in a loop, so Node's ESM loader sees only its default export.
import serverCore, { type CompilerApi, type CubejsServerCore, type SystemOptions } from '@cubejs-backend/server-core';
import { createPostgresDriver } from './driver.js';
import { EngagementApiGateway } from './gateway.js';
import { ModelRepository } from './model-repository.js';
import { buildPartitionsToTheEndOfTheData } from './partition-build-range.js';
import { PRE_AGGREGATIONS_SCHEMA } from './pre-aggregations-schema.js';
import { cubeLogger, defaultSink } from './logger.js';
import { disableJinja, nativeStatus, withoutSqlApi } from './native-fallback.js';
import { waitUntilReady } from './ready.js';
import { securityOptions } from './security-options.js';
import { assertTenantScoped } from './tenant-scope.js';
import { validateKpiMeta, validateKpiWindows, type MetaCube } from '@engagement/contract';

export interface CubeServerOptions {
  databaseUrl: string;
  /** 0 picks any free port. */
  port: number;
  /** Interface to listen on; 127.0.0.1 unless given. */
  host?: string;
  apiSecret: string;
  schemaPath: string;
  /** Warehouse schema that holds pre-aggregation tables; default `cube_pre_aggregations`. */
  preAggregationsSchema?: string;
  logger?: (level: string, message: string) => void;
  /** Cube's dev mode: playground, model reload on file change. Off unless asked for. */
  devMode?: boolean;
  /** Port for the SQL API (PostgreSQL protocol); it only runs where @cubejs-backend/native loads. */
  sqlPort?: number;
  /** false serves the model without its rollups, for comparing answers and timings; default true. */
  preAggregations?: boolean;
}

export interface RunningCube {
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  /** e.g. http://127.0.0.1:4000/cubejs-api/v1 */
  apiUrl: string;
  port: number;
  /** 'on' when the SQL API is listening: native loads and a SQL port is set (option or CUBEJS_PG_SQL_PORT). */
  sqlApi: 'on' | 'off';
  stop(): Promise<void>;
  /** Cube's server core, e.g. `core.getCompilerApi({ securityContext }).getSql(query)`. */
  core: CubejsServerCore;
}

const BASE_PATH = '/cubejs-api';
const STOP_GRACE_MS = 2_000;
const ADMIN_CONTEXT = { securityContext: { admin: true }, requestId: 'startup' };

/** Cube's server core with the two native fallbacks wired in where the native module is missing. */
class EngagementServerCore extends serverCore.CubejsServerCore {
  protected override createApiGatewayInstance(...args: ConstructorParameters<typeof ApiGateway>): ApiGateway {
    const native = nativeStatus();
    const Gateway = native.available ? EngagementApiGateway : withoutSqlApi(EngagementApiGateway);
    return new Gateway(...args);
  }

  protected override createCompilerApi(repository: unknown, options?: Record<string, unknown>): CompilerApi {
    const compilerApi = super.createCompilerApi(repository, options);
    const native = nativeStatus();
    if (!native.available) disableJinja(compilerApi, native.reason);
    return compilerApi;
  }
}

const requireFromCubeServer = createRequire(createRequire(import.meta.url).resolve('@cubejs-backend/server'));

class EngagementCubeServer extends CubejsServer {
  protected override createCoreInstance(config: CreateOptions, systemOptions?: SystemOptions): CubejsServerCore {
    return new EngagementServerCore(config, systemOptions);
  }

  /**
   * CubejsServer#listen with the port as an argument. The original takes the port from
   * process.env.PORT, listens on every interface, and does not wait for the socket, so a taken
   * port surfaces later as an unhandled 'error' event instead of a rejected promise.
   */
  async listenOn(port: number, host: string): Promise<number> {
    const express = requireFromCubeServer('express');
    const cors = requireFromCubeServer('cors');
    const bodyParser = requireFromCubeServer('body-parser');
    const { gracefulHttp } = requireFromCubeServer('./dist/src/server/gracefull-http');
    const app = express();
    app.use(cors(this.config.http.cors));
    app.use(bodyParser.json({ limit: '50mb' }));
    await this.core.initApp(app);
    const server = gracefulHttp(http.createServer(app));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    if (this.sqlPortSet) {
      this.sqlServer = this.core.initSQLServer();
      await this.sqlServer.init(this.config);
    }
    return (server.address() as AddressInfo).port;
  }

  get sqlPortSet(): boolean {
    return Boolean(this.config.sqlPort || this.config.pgSqlPort);
  }

  async stop(): Promise<void> {
    await this.server?.stop(STOP_GRACE_MS);
    this.server = null;
    await this.sqlServer?.shutdown('fast');
    await this.core.beforeShutdown();
    await this.core.shutdown();
  }

  get serverCore(): CubejsServerCore {
    return this.core;
  }
}

/**
 * The one process.env change: rollups default to `external: true` (kept in Cube Store) unless
 * CUBEJS_EXTERNAL_DEFAULT is false, and the compiler reads only that variable, no option. With no
 * Cube Store here such a rollup fails every query it matches, so unless the variable is set
 * explicitly, pre-aggregations are built in the warehouse (schema `preAggregationsSchema`).
 */
function keepPreAggregationsInWarehouse(): void {
  process.env.CUBEJS_EXTERNAL_DEFAULT ??= 'false';
}

export class ModelMetaError extends Error {
  override name = 'ModelMetaError';
}

/** A KPI whose benchmark meta or window is malformed stops start-up, naming the measure and field. */
function assertValidBenchmarks(cubes: MetaCube[]): void {
  const problems = [...validateKpiMeta(cubes.flatMap((cube) => cube.measures)), ...validateKpiWindows(cubes)];
  if (problems.length) throw new ModelMetaError(`The model's benchmark meta is invalid:\n  ${problems.join('\n  ')}`);
}

export async function startCubeServer(options: CubeServerOptions): Promise<RunningCube> {
  const sink = options.logger ?? defaultSink;
  keepPreAggregationsInWarehouse();
  buildPartitionsToTheEndOfTheData();
  const native = nativeStatus();
  const repository = new ModelRepository(options.schemaPath, { preAggregations: options.preAggregations ?? true });
  // Cube releases only the drivers of data sources its readiness probe has marked as seen;
  // tracking ours makes sure stop() closes every pool.
  const drivers = new Set<ReturnType<typeof createPostgresDriver>>();
  const orchestratorId = `engagement_${randomUUID()}`;
  const releaseDrivers = async () => {
    await Promise.all([...drivers].map((driver) => driver.release()));
    drivers.clear();
  };
  const server = new EngagementCubeServer({
    dbType: 'postgres',
    driverFactory: () => {
      const driver = createPostgresDriver(options.databaseUrl);
      drivers.add(driver);
      return driver;
    },
    apiSecret: options.apiSecret,
    schemaPath: repository.localPath(),
    repositoryFactory: () => repository,
    basePath: BASE_PATH,
    devServer: options.devMode ?? false,
    telemetry: false,
    logger: cubeLogger(sink),
    // No Cube Store: the query cache and queue live in this process. Cube keeps them in
    // module-level maps keyed by the orchestrator id ('STANDALONE' by default), so two servers
    // in one process (the bench, the tests) would read each other's results without their own.
    cacheAndQueueDriver: 'memory',
    contextToOrchestratorId: () => orchestratorId,
    preAggregationsSchema: options.preAggregationsSchema ?? PRE_AGGREGATIONS_SCHEMA,
    ...securityOptions(options.apiSecret),
    // One process serves queries and builds the pre-aggregations they need, when they need them
    // (Cube would otherwise decide from NODE_ENV). No background refresh worker.
    orchestratorOptions: { preAggregationsOptions: { externalRefresh: false } },
    scheduledRefreshTimer: false,
    // A refresh run, if one is started, builds pre-aggregations for all tenants.
    scheduledRefreshContexts: async () => [{ securityContext: ADMIN_CONTEXT.securityContext }],
    webSockets: false,
    ...(options.sqlPort === undefined ? {} : { pgSqlPort: options.sqlPort }),
  });
  const sqlApi = native.available && server.sqlPortSet ? 'on' : 'off';
  if (!native.available) {
    sink('warn', `SQL API off: @cubejs-backend/native does not load here (${native.reason}); the REST API works without it.`);
  } else if (sqlApi === 'off') {
    sink('info', 'SQL API off: no SQL port set (sqlPort or CUBEJS_PG_SQL_PORT).');
  }
  const host = options.host ?? '127.0.0.1';
  try {
    const port = await server.listenOn(options.port, host);
    const url = `http://${host}:${port}`;
    const compilerApi = await server.serverCore.getCompilerApi(ADMIN_CONTEXT);
    const meta = (await compilerApi.metaConfig({ requestId: 'startup' })) as { config: MetaCube }[];
    assertTenantScoped(meta.map((cube) => cube.config));
    assertValidBenchmarks(meta.map((cube) => cube.config));
    await waitUntilReady(url);
    return {
      url,
      apiUrl: `${url}${BASE_PATH}/v1`,
      port,
      sqlApi,
      stop: async () => {
        await server.stop();
        await releaseDrivers();
      },
      core: server.serverCore,
    };
  } catch (error) {
    await server.stop();
    await releaseDrivers();
    throw error;
  }
}
