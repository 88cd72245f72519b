import { loadConfig, loadQueryLimits, warehouseLimits } from '../config.js';
import { rolePassword, rolePrefix, roleNames } from '../warehouse/roles.js';
import { applyOrchestratorFixes } from './orchestrator-fixes.js';
import { ADMIN_ROLLUP_SCHEMA, tenantRollupSchema } from './pre-aggregations-schema.js';
import { securityOptions } from './security-options.js';
import { withTimeZoneCheck } from './timezone-guard.js';
import { warehouseAccessOptions, type WarehouseScope } from './warehouse-access.js';
import { warehouseTenantDirectory } from './warehouse-tenants.js';

/**
 * Entry point bundled (npm run build:cube-config) for the stock cubejs/cube image, which
 * loads it from docker/cube/cube.js: the same tenancy rules as our own server, and the same
 * least-privilege roles. The container holds no owner credentials: the `setup` service made the
 * roles (every command that starts our Cube does), and their passwords derive from the API secret.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the Cube container needs it to reach the warehouse and check tokens.`);
  return value;
}

const apiSecret = required('CUBEJS_API_SECRET');
const database = required('CUBEJS_DB_NAME');
const databaseUrl = `postgres://${required('CUBEJS_DB_HOST')}:${process.env.CUBEJS_DB_PORT ?? '5432'}/${encodeURIComponent(database)}`;
const names = roleNames(rolePrefix(database));

async function login(scope: WarehouseScope) {
  const user = scope.admin ? names.admin : names.tenant(scope.tenant);
  return {
    user,
    password: rolePassword(apiSecret, user),
    rollupSchema: scope.admin ? ADMIN_ROLLUP_SCHEMA : tenantRollupSchema(scope.tenant),
  };
}

const config = loadConfig();
applyOrchestratorFixes();
// The admin role sees every tenant's row of `tenants`, which is all the directory reads.
const adminUrl = new URL(databaseUrl);
adminUrl.username = names.admin;
adminUrl.password = rolePassword(apiSecret, names.admin);
const options = securityOptions(apiSecret, {
  tenants: warehouseTenantDirectory(adminUrl.toString()),
  maxLifetime: config.TOKEN_MAX_LIFETIME,
});
export const cubeConfig = {
  ...options,
  queryRewrite: withTimeZoneCheck(options.queryRewrite),
  ...warehouseAccessOptions({
    databaseUrl,
    login,
    limits: warehouseLimits(config),
    maxRollingPeriods: loadQueryLimits().maxRollingPeriods,
    orchestratorPrefix: 'engagement',
  }),
  // Cube's own server applies `http.cors`; in production mode only the configured origins.
  ...(config.ENGAGEMENT_MODE === 'production' ? { http: { cors: { origin: config.CORS_ORIGINS } } } : {}),
};
