import { createCheckAuth, createCheckSqlAuth, type TokenPolicy } from './auth.js';
import { queryRewrite } from './tenant-scope.js';

/**
 * The Cube options that check tokens and scope each query to its tenant, shared by our own
 * server and by the stock `cubejs/cube` image (through docker/cube/cube.js). The warehouse
 * enforces the same scope below Cube: see warehouse-access.ts.
 */
export function securityOptions(apiSecret: string, tokenPolicy: TokenPolicy) {
  return {
    checkAuth: createCheckAuth(apiSecret, tokenPolicy),
    checkSqlAuth: createCheckSqlAuth(apiSecret, tokenPolicy),
    queryRewrite,
  };
}
