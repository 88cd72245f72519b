import { loadConfig } from '../config.js';
import { buildPartitionsToTheEndOfTheData } from './partition-build-range.js';
import { keepFirstPeriodOfRollingWindows } from './rolling-window-dimensions.js';
import { securityOptions } from './security-options.js';
import { withTimeZoneCheck } from './timezone-guard.js';
import { warehouseTenantDirectory } from './warehouse-tenants.js';

/**
 * Entry point bundled (npm run build:cube-config) for the stock cubejs/cube image, which
 * loads it from docker/cube/cube.js: the same tenancy rules as our own server.
 */
const apiSecret = process.env.CUBEJS_API_SECRET;
if (!apiSecret) throw new Error('CUBEJS_API_SECRET is not set: the Cube container needs the secret that signs API tokens.');

/** The warehouse Cube's own CUBEJS_DB_* variables name, where the tenant directory reads `tenants`. */
export function warehouseUrlFromCubeEnv(env: NodeJS.ProcessEnv): string {
  const part = (name: string, fallback?: string) => {
    const value = env[name] ?? fallback;
    if (value === undefined) throw new Error(`${name} is not set: the Cube container needs it to check that a token's tenant exists.`);
    return encodeURIComponent(value);
  };
  return `postgres://${part('CUBEJS_DB_USER')}:${part('CUBEJS_DB_PASS', '')}@${part('CUBEJS_DB_HOST')}:${part('CUBEJS_DB_PORT', '5432')}/${part('CUBEJS_DB_NAME')}`;
}

const config = loadConfig();
buildPartitionsToTheEndOfTheData();
keepFirstPeriodOfRollingWindows();
const options = securityOptions(apiSecret, {
  tenants: warehouseTenantDirectory(warehouseUrlFromCubeEnv(process.env)),
  maxLifetime: config.TOKEN_MAX_LIFETIME,
});
export const cubeConfig = {
  ...options,
  queryRewrite: withTimeZoneCheck(options.queryRewrite),
  // Cube's own server applies `http.cors`; in production mode only the configured origins.
  ...(config.ENGAGEMENT_MODE === 'production' ? { http: { cors: { origin: config.CORS_ORIGINS } } } : {}),
};
