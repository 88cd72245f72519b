import { randomUUID } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { ApiGateway } from '@cubejs-backend/api-gateway';
import { CubejsServer, type CreateOptions } from '@cubejs-backend/server';
import type { DriverFactoryByDataSource } from '@cubejs-backend/query-orchestrator';
// The package builds module.exports in a loop, so Node's ESM loader sees only its default export.
import serverCore, {
  type CompilerApi,
  type CubejsServerCore,
  type OrchestratorApi,
  type OrchestratorApiOptions,
  type RequestContext,
  type SystemOptions,
} from '@cubejs-backend/server-core';
import type { EngagementPostgresDriver } from './driver.js';
import { AnswerCache } from './answer-cache.js';
import { EngagementApiGateway } from './gateway.js';
import { healthProbes } from './health.js';
import { ModelRepository } from './model-repository.js';
import { applyOrchestratorFixes } from './orchestrator-fixes.js';
import { cubeLogger, defaultSink, type CubeLogSink } from './logger.js';
import { disableJinja, nativeStatus, withoutSqlApi } from './native-fallback.js';
import { waitUntilReady } from './ready.js';
import { securityOptions } from './security-options.js';
import type { TenantDirectory } from './tenants.js';
import { warehouseTenantDirectory } from './warehouse-tenants.js';
import { assertTenantScoped } from './tenant-scope.js';
import { warehouseAccessOptions } from './warehouse-access.js';
import { warehouseLogins } from './warehouse-logins.js';
import { CUBE_LONG_POLL_SECONDS, DEFAULT_WAREHOUSE_LIMITS, type WarehouseLimits } from './warehouse-limits.js';
import { validateKpiMeta, validateKpiWindows, type MetaCube } from '@engagement/contract';
import { DEFAULT_TOKEN_MAX_LIFETIME, lifetimeSeconds, loadQueryLimits } from '../config.js';
import type { QueryLimits } from './query/index.js';
import { WarehouseRoleError } from '../warehouse/roles.js';

export interface CubeServerOptions {
  /** The warehouse owner's URL (DATABASE_URL's, or the embedded superuser's): it makes Cube's roles, and Cube queries as those. */
  databaseUrl: string;
  /** 0 picks any free port. */
  port: number;
  /** Interface to listen on; 127.0.0.1 unless given. */
  host?: string;
  apiSecret: string;
  schemaPath: string;
  /** Per-tenant concurrency, statement and orphaned-query timeouts; DEFAULT_WAREHOUSE_LIMITS unless given. */
  limits?: Partial<WarehouseLimits>;
  logger?: (level: string, message: string) => void;
  /** Cube's dev mode: playground, model reload on file change. Off unless asked for. */
  devMode?: boolean;
  /** Port for the SQL API (PostgreSQL protocol); it only runs where @cubejs-backend/native loads. */
  sqlPort?: number;
  /** false serves the model without its rollups, for comparing answers and timings; default true. */
  preAggregations?: boolean;
  /** Bounds on each request; default: the QUERY_MAX_* environment variables (src/config.ts). */
  queryLimits?: QueryLimits;
  /** Seconds a /load answer is sent again as it was (CUBE_ANSWER_CACHE_SECONDS; answer-cache.ts); 0 or unset: off. */
  answerCacheSeconds?: number;
  /** Longest token lifetime accepted (TOKEN_MAX_LIFETIME); default 365d. */
  maxTokenLifetime?: { span: string; seconds: number };
  /** Browser access (ENGAGEMENT_MODE, CORS_ORIGINS); default development: CORS for any origin. */
  http?: HttpPolicy;
}

export interface HttpPolicy {
  /** production: CORS only for `corsOrigins`, and no GraphiQL page. */
  mode: 'development' | 'production';
  corsOrigins: string[];
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
  /** Set before the app is built (the gateway is created on first use). */
  queryLimits?: QueryLimits;
  answerCache?: AnswerCache;

  private readonly orchestrators = new Set<OrchestratorApi>();

  protected override createOrchestratorApi(getDriver: DriverFactoryByDataSource, options: OrchestratorApiOptions): OrchestratorApi {
    const orchestrator = super.createOrchestratorApi(getDriver, options);
    this.orchestrators.add(orchestrator);
    return orchestrator;
  }

  /**
   * Cube cancels orphaned queries (nobody polled for them within orphanedTimeout) only when it
   * reconciles a queue, which it does when a query enters or leaves that queue. With a queue per
   * tenant, a tenant whose client went away may send nothing more; so reconcile on a timer.
   */
  async reconcileQueues(): Promise<void> {
    await Promise.all([...this.orchestrators].map((orchestrator) => orchestrator.forceReconcile().catch(() => {})));
  }

  protected override createApiGatewayInstance(...args: ConstructorParameters<typeof ApiGateway>): ApiGateway {
    const native = nativeStatus();
    const Gateway = native.available ? EngagementApiGateway : withoutSqlApi(EngagementApiGateway);
    const gateway = new Gateway(...args);
    gateway.queryLimits = this.queryLimits;
    gateway.answerCache = this.answerCache;
    return gateway;
  }

  /** Orchestrators being created, by orchestrator id. */
  private readonly orchestratorsStarting = new Map<string, Promise<OrchestratorApi>>();

  /**
   * Cube 0.35.81 looks in its orchestrator storage, awaits the orchestrator options, and only then
   * creates and stores one (cube-js/cube#9713), so requests that reach it together on a fresh
   * server each create their own; the first requests do, as they all resume together when the
   * tenant directory's first read, which they share, comes back (auth.ts). Their query queues
   * share the in-memory queue of the one orchestrator id but each numbers its queries from 0:
   * one queue, skipping a query another is running under the same number, frees that one's
   * processing lock; its result is then dropped as orphaned and the slot it holds is never given
   * back, so every query waits until the client gives up. Concurrent first calls share one
   * creation here.
   */
  override async getOrchestratorApi(context: RequestContext): Promise<OrchestratorApi> {
    const id = await this.contextToOrchestratorId(context);
    let starting = this.orchestratorsStarting.get(id);
    if (!starting) {
      starting = super.getOrchestratorApi(context).finally(() => this.orchestratorsStarting.delete(id));
      this.orchestratorsStarting.set(id, starting);
    }
    return starting;
  }

  private firstCompilerApi: CompilerApi | undefined;

  /**
   * Cube keeps a CompilerApi per app id, and each compiles the model; ours is one per tenant
   * (warehouse-access.ts) only for its rollup schema, which CompilerApi reads when it builds a
   * query, not when it compiles. The model does not vary by tenant (no COMPILE_CONTEXT), so every
   * tenant's CompilerApi uses the first one's compiled model.
   */
  protected override createCompilerApi(repository: unknown, options?: Record<string, unknown>): CompilerApi {
    const compilerApi = super.createCompilerApi(repository, options);
    const native = nativeStatus();
    if (!native.available) disableJinja(compilerApi, native.reason);
    const first = (this.firstCompilerApi ??= compilerApi);
    if (first !== compilerApi) {
      compilerApi.getCompilers = async (request) => {
        const compilers = await first.getCompilers(request);
        compilerApi.queryFactory = first.queryFactory;
        return compilers;
      };
    }
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
  async listenOn(
    port: number,
    host: string,
    limits: QueryLimits,
    health: ReturnType<typeof healthProbes>,
    access: HttpPolicy,
  ): Promise<number> {
    const express = requireFromCubeServer('express');
    const cors = requireFromCubeServer('cors');
    const bodyParser = requireFromCubeServer('body-parser');
    const { gracefulHttp } = requireFromCubeServer('./dist/src/server/gracefull-http');
    const app = express();
    // In production only the listed origins get Access-Control-Allow-Origin; other pages cannot read answers.
    app.use(cors(access.mode === 'production' ? { origin: access.corsOrigins } : this.config.http.cors));
    app.use(bodyParser.json({ limit: limits.maxBodyBytes }));
    (this.core as EngagementServerCore).queryLimits = limits;
    app.use(health);
    await this.core.initApp(app);
    // Room for the longest URL we accept plus Node's default 16 KiB of other headers, so that a
    // longer URL gets our 414 (naming QUERY_MAX_URL_BYTES) instead of Node's bare 431.
    const server = gracefulHttp(http.createServer({ maxHeaderSize: limits.maxUrlBytes + 16_384 }, app));
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

/**
 * Runs `create` with Cube's start-up warnings sent to the log sink. Cube 0.35.81 prints them on
 * stdout (shared's displayCLIWarning: "Warning. Using undefined as an external database is
 * deprecated…" whenever NODE_ENV is not production), where they broke `report --json`'s output.
 */
function withCubeWarningsTo<T>(sink: CubeLogSink, create: () => T): T {
  const { log } = console;
  console.log = (...args: unknown[]) => sink('warn', stripVTControlCharacters(args.map(String).join(' ')));
  try {
    return create();
  } finally {
    console.log = log;
  }
}

export async function startCubeServer(options: CubeServerOptions): Promise<RunningCube> {
  const sink = options.logger ?? defaultSink;
  const limits = { ...DEFAULT_WAREHOUSE_LIMITS, ...options.limits };
  const queryLimits = options.queryLimits ?? loadQueryLimits();
  keepPreAggregationsInWarehouse();
  applyOrchestratorFixes();
  const native = nativeStatus();
  const repository = new ModelRepository(options.schemaPath, { preAggregations: options.preAggregations ?? true });
  const logins = warehouseLogins(options.databaseUrl, options.apiSecret, limits.statementTimeoutSeconds);
  // Cube releases only the drivers of data sources its readiness probe has marked as seen;
  // tracking ours makes sure stop() closes every pool.
  const drivers = new Set<EngagementPostgresDriver>();
  const tenants: TenantDirectory = warehouseTenantDirectory(options.databaseUrl);
  const releaseDrivers = async () => {
    await Promise.all([...drivers].map((driver) => driver.release()));
    drivers.clear();
  };
  let reconcileTimer: NodeJS.Timeout | undefined;
  const release = async () => {
    clearInterval(reconcileTimer);
    await releaseDrivers();
    await logins.end();
    await tenants.close();
  };
  let server: EngagementCubeServer | undefined;
  try {
    try {
      await logins.provision();
    } catch (error) {
      // A warehouse that refuses the roles or lacks the migrations stops start-up; one that is down does not.
      if (error instanceof WarehouseRoleError) throw error;
      sink(
        'warn',
        `Cube's warehouse roles are not made yet (${error instanceof Error ? error.message : String(error)}); retrying at the first query.`,
      );
    }
    server = withCubeWarningsTo(
      sink,
      () =>
        new EngagementCubeServer({
          dbType: 'postgres',
          apiSecret: options.apiSecret,
          schemaPath: repository.localPath(),
          repositoryFactory: () => repository,
          basePath: BASE_PATH,
          devServer: options.devMode ?? false,
          telemetry: false,
          logger: cubeLogger(sink),
          // No Cube Store: the query cache and queue live in this process, in module-level maps keyed
          // by the orchestrator id, so two servers in one process (the bench, the tests) would read
          // each other's results if their ids did not start with one of their own.
          cacheAndQueueDriver: 'memory',
          ...warehouseAccessOptions({
            databaseUrl: options.databaseUrl,
            login: logins.login,
            limits,
            maxRollingPeriods: queryLimits.maxRollingPeriods,
            orchestratorPrefix: `engagement_${randomUUID()}`,
            onDriver: (driver) => drivers.add(driver),
          }),
          ...securityOptions(options.apiSecret, {
            tenants,
            maxLifetime: options.maxTokenLifetime ?? {
              span: DEFAULT_TOKEN_MAX_LIFETIME,
              seconds: lifetimeSeconds(DEFAULT_TOKEN_MAX_LIFETIME),
            },
          }),
          scheduledRefreshTimer: false,
          // A refresh run, if one is started, builds the admin context's rollups.
          scheduledRefreshContexts: async () => [{ securityContext: ADMIN_CONTEXT.securityContext }],
          webSockets: false,
          ...(options.sqlPort === undefined ? {} : { pgSqlPort: options.sqlPort }),
        }),
    );
    const sqlApi = native.available && server.sqlPortSet ? 'on' : 'off';
    if (!native.available) {
      sink('warn', `SQL API off: @cubejs-backend/native does not load here (${native.reason}); the REST API works without it.`);
    } else if (sqlApi === 'off') {
      sink('info', 'SQL API off: no SQL port set (sqlPort or CUBEJS_PG_SQL_PORT).');
    }
    const host = options.host ?? '127.0.0.1';
    if (options.answerCacheSeconds) (server.serverCore as EngagementServerCore).answerCache = new AnswerCache(options.answerCacheSeconds);
    const port = await server.listenOn(
      options.port,
      host,
      queryLimits,
      healthProbes(options.databaseUrl),
      options.http ?? { mode: 'development', corsOrigins: [] },
    );
    const url = `http://${host}:${port}`;
    const compilerApi = await server.serverCore.getCompilerApi(ADMIN_CONTEXT);
    const meta = (await compilerApi.metaConfig({ requestId: 'startup' })) as { config: MetaCube }[];
    assertTenantScoped(meta.map((cube) => cube.config));
    assertValidBenchmarks(meta.map((cube) => cube.config));
    // Serving HTTP is enough here: a warehouse that is down is answered with 503s until it is back.
    await waitUntilReady(url, { probe: '/livez' });
    const core = server.serverCore as EngagementServerCore;
    reconcileTimer = setInterval(() => void core.reconcileQueues(), (CUBE_LONG_POLL_SECONDS * 1000) / 5);
    const running = server;
    return {
      url,
      apiUrl: `${url}${BASE_PATH}/v1`,
      port,
      sqlApi,
      stop: async () => {
        await running.stop();
        await release();
      },
      core: running.serverCore,
    };
  } catch (error) {
    await server?.stop();
    await release();
    throw error;
  }
}
