/**
 * The Cube a load test drives, in a process of its own so that the load generator does not
 * share its event loop: started by bench/load.ts with the warehouse URL and API secret in the
 * environment; prints its API URL on one line once it is ready, and stops on SIGTERM.
 */
import { z } from 'zod';
import { schemaDir } from '@engagement/contract/node';
import { loadConfig } from '../src/config.js';
import { startCubeServer } from '../src/cube/server.js';

const env = z
  .object({ LOAD_DATABASE_URL: z.string().url(), LOAD_API_SECRET: z.string().min(1) })
  .parse(process.env, { error: () => 'bench/load-server.ts needs LOAD_DATABASE_URL and LOAD_API_SECRET' });

const cube = await startCubeServer({
  databaseUrl: env.LOAD_DATABASE_URL,
  port: 0,
  apiSecret: env.LOAD_API_SECRET,
  schemaPath: schemaDir,
  preAggregations: true,
  limits: { statementTimeoutSeconds: 600 },
  // As npm start serves: with the configured answer cache.
  answerCacheSeconds: loadConfig().CUBE_ANSWER_CACHE_SECONDS,
  logger: () => {},
});
process.stdout.write(`${cube.apiUrl}\n`);
process.once('SIGTERM', () => {
  void cube.stop().finally(() => process.exit(0));
});
