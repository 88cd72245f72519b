import { buildPartitionsToTheEndOfTheData } from './partition-build-range.js';
import { securityOptions } from './security-options.js';
import { withTimeZoneCheck } from './timezone-guard.js';

/**
 * Entry point bundled (npm run build:cube-config) for the stock cubejs/cube image, which
 * loads it from docker/cube/cube.js: the same tenancy rules as our own server.
 */
const apiSecret = process.env.CUBEJS_API_SECRET;
if (!apiSecret) throw new Error('CUBEJS_API_SECRET is not set: the Cube container needs the secret that signs API tokens.');

buildPartitionsToTheEndOfTheData();
const options = securityOptions(apiSecret);
export const cubeConfig = { ...options, queryRewrite: withTimeZoneCheck(options.queryRewrite) };
