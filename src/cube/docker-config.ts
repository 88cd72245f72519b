import { buildPartitionsToTheEndOfTheData } from './partition-build-range.js';
import { keepFirstPeriodOfRollingWindows } from './rolling-window-dimensions.js';
import { securityOptions } from './security-options.js';

/**
 * Entry point bundled (npm run build:cube-config) for the stock cubejs/cube image, which
 * loads it from docker/cube/cube.js: the same tenancy rules as our own server.
 */
const apiSecret = process.env.CUBEJS_API_SECRET;
if (!apiSecret) throw new Error('CUBEJS_API_SECRET is not set: the Cube container needs the secret that signs API tokens.');

buildPartitionsToTheEndOfTheData();
keepFirstPeriodOfRollingWindows();
export const cubeConfig = securityOptions(apiSecret);
