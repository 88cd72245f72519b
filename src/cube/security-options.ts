import { createCheckAuth, createCheckSqlAuth, type TokenPolicy } from './auth.js';
import { queryRewrite } from './tenant-scope.js';

/**
 * The Cube options that make it multi-tenant, shared by our own server and by the stock
 * `cubejs/cube` image (through docker/cube/cube.js).
 */
export function securityOptions(apiSecret: string, tokenPolicy: TokenPolicy) {
  return {
    checkAuth: createCheckAuth(apiSecret, tokenPolicy),
    checkSqlAuth: createCheckSqlAuth(apiSecret, tokenPolicy),
    queryRewrite,
    // One compiled model for every tenant: the model does not vary by tenant (no COMPILE_CONTEXT),
    // and queryRewrite scopes each query. A function here also keeps Cube out of "standalone"
    // mode, whose readiness probe would fail start-up while the warehouse is down.
    contextToAppId: () => 'engagement',
  };
}
