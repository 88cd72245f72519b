import { parseSecurityContext, tenantOf } from './auth.js';
import { createPostgresDriver, type EngagementPostgresDriver } from './driver.js';
import { postgresDialect, type EngagementPostgresQuery } from './postgres-dialect.js';
import { ADMIN_ROLLUP_SCHEMA, tenantRollupSchema, tenantSlug } from './pre-aggregations-schema.js';
import type { WarehouseLimits } from './warehouse-limits.js';
import type { WarehouseLogin } from '../warehouse/roles.js';

/** Whose rows a request may read: every tenant's (admin) or one tenant's. */
export type WarehouseScope = { admin: true } | { admin: false; tenant: string };

export function scopeOf(context: { securityContext?: unknown } | undefined): WarehouseScope | null {
  const securityContext = parseSecurityContext(context?.securityContext);
  if (!securityContext) return null;
  const tenant = tenantOf(securityContext);
  return tenant === null ? { admin: true } : { admin: false, tenant };
}

/** A short, safe key for a scope, for Cube's per-context ids. */
function scopeKey(scope: WarehouseScope | null): string {
  if (!scope) return 'none';
  return scope.admin ? 'admin' : tenantSlug(scope.tenant);
}

export class NoScopeError extends Error {
  override name = 'NoScopeError';
}

export interface WarehouseAccessOptions {
  /** Host, port and database of the warehouse; its user is replaced by each scope's role. */
  databaseUrl: string;
  /** The role (and its password) a scope connects as. */
  login: (scope: WarehouseScope) => Promise<WarehouseLogin>;
  limits: WarehouseLimits;
  /** QUERY_MAX_ROLLING_PERIODS, which the SQL dialect applies. */
  maxRollingPeriods: number;
  /** Prefix of the orchestrator ids, unique to the server (see server.ts). */
  orchestratorPrefix: string;
  onDriver?: (driver: EngagementPostgresDriver) => void;
}

/**
 * The Cube options that make each tenant a warehouse client of its own:
 * - driverFactory: Cube calls it once per orchestrator with the context that created it, so a
 *   tenant's driver logs in as the tenant's role, which row-level security limits to its rows.
 * - contextToOrchestratorId: one orchestrator per tenant, so each tenant has its own query queue
 *   (`tenantConcurrency` at once), result cache and driver; a tenant's slow queries wait in its
 *   own queue, not in the others'.
 * - preAggregationsSchema: a tenant's role builds its rollups from its own rows only, and Cube
 *   names a rollup table by its SQL, the same for every tenant; so each tenant has its own
 *   schema. Cube binds that schema into the compiled model, per app id, so contextToAppId is per
 *   tenant too (one compiled model per tenant served). A function there also keeps Cube out of
 *   "standalone" mode, whose readiness probe would fail start-up while the warehouse is down.
 * - dialectFactory: PostgreSQL's SQL dialect with pattern filters matched literally
 *   (postgres-dialect.ts).
 */
export function warehouseAccessOptions(options: WarehouseAccessOptions) {
  const { limits } = options;
  // Cube's queues have their own timer per query; PostgreSQL's timeout, with its clearer message, comes first.
  const executionTimeout = limits.statementTimeoutSeconds + 5;
  const buildExecutionTimeout = limits.buildTimeoutSeconds + 5;
  return {
    // Cube calls the factory for a query class (CompilerApi.getDialectClass); its typings say an instance.
    dialectFactory: () => postgresDialect(options.maxRollingPeriods) as unknown as EngagementPostgresQuery,
    driverFactory: async (context: { securityContext?: unknown }) => {
      const scope = scopeOf(context);
      if (!scope) throw new NoScopeError('The request has no tenant: refusing to connect to the warehouse for it.');
      const login = await options.login(scope);
      const driver = createPostgresDriver(options.databaseUrl, {
        login,
        statementTimeoutSeconds: limits.statementTimeoutSeconds,
        buildTimeoutSeconds: limits.buildTimeoutSeconds,
        // A full query queue, a full rollup queue and two to spare (a wait for a free connection
        // longer than the connect timeout fails the query). With a pool per tenant, Cube's
        // default of 8 would let a dozen busy tenants take PostgreSQL's 100 connections.
        maxPoolSize: 2 * limits.tenantConcurrency + 2,
      });
      options.onDriver?.(driver);
      return driver;
    },
    contextToOrchestratorId: (context: { securityContext?: unknown }) => `${options.orchestratorPrefix}_${scopeKey(scopeOf(context))}`,
    contextToAppId: (context: { securityContext?: unknown }) => `engagement_${scopeKey(scopeOf(context))}`,
    preAggregationsSchema: (context: { securityContext?: unknown }) => {
      const scope = scopeOf(context);
      return scope && !scope.admin ? tenantRollupSchema(scope.tenant) : ADMIN_ROLLUP_SCHEMA;
    },
    orchestratorOptions: {
      queryCacheOptions: {
        queueOptions: { concurrency: limits.tenantConcurrency, orphanedTimeout: limits.orphanedTimeoutSeconds, executionTimeout },
      },
      // One process serves queries and builds the pre-aggregations they need, when they need them
      // (Cube would otherwise decide from NODE_ENV). No background refresh worker.
      preAggregationsOptions: {
        externalRefresh: false,
        queueOptions: { concurrency: limits.tenantConcurrency, executionTimeout: buildExecutionTimeout },
      },
    },
  };
}
