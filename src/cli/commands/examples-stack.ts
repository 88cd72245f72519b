import { randomBytes } from 'node:crypto';
import type { ExamplesStack } from '@engagement/contract';
import { schemaDir } from '@engagement/contract/node';
import { loadWorkedExamples, workedExamples } from '../../../seeds/worked-examples.js';
import { loadConfig } from '../../config.js';
import { startCubeServer } from '../../cube/server.js';
import { mintToken } from '../../cube/tokens.js';
import { publishMetricsViews } from '../../metrics/publish.js';
import { startStack } from '../../runtime/stack.js';
import { untilSignalled } from '../../runtime/shutdown.js';

/** Resolves when stdin ends: the parent that started us is done, or gone. */
function stdinClosed(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.on('end', resolve).on('close', resolve).resume();
  });
}

/**
 * The warehouse with only the worked-example tenants, the `metrics` views published and Cube on a
 * free port (and a second one without the model's rollups), described by one JSON line on stdout (the contract's examplesStackSchema): what the
 * plugin's live tests and fixture capture run against, as a separate process. Logs go to stderr.
 */
export async function examplesStackCommand(): Promise<void> {
  const stack = await startStack(loadConfig(), {
    port: 0,
    beforeCube: async (session) => {
      await loadWorkedExamples(session.db);
    },
  });
  let raw: Awaited<ReturnType<typeof startCubeServer>> | undefined;
  try {
    await publishMetricsViews(stack.session, stack.apiSecret);
    raw = await startCubeServer({
      databaseUrl: stack.session.warehouse.url,
      port: 0,
      apiSecret: stack.apiSecret,
      schemaPath: schemaDir,
      preAggregations: false,
    });
    const tenants = Object.values(workedExamples);
    const line: ExamplesStack = {
      cubeUrl: stack.cube.url,
      rawCubeUrl: raw.url,
      warehouseUrl: stack.session.warehouse.url,
      workedExamples,
      tokens: Object.fromEntries(tenants.map((tenant) => [tenant, mintToken(stack.apiSecret, { tenant }, { expiresIn: '1d' })])),
      forgedToken: mintToken(randomBytes(32).toString('hex'), { tenant: workedExamples.surveys }),
    };
    console.log(JSON.stringify(line));
    await Promise.race([untilSignalled(), stdinClosed()]);
  } finally {
    await raw?.stop();
    await stack.close();
  }
}
