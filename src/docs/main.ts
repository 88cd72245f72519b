import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { Command } from 'commander';
import { schemaDir } from '@engagement/contract/node';
import { loadConfig } from '../config.js';
import { CubeClient } from '../cube/client.js';
import { startCubeServer } from '../cube/server.js';
import { mintToken } from '../cube/tokens.js';
import { runCommand } from '../cli/run.js';
import { openMigratedWarehouse } from '../warehouse/index.js';
import { generateWarehouseDoc, warehouseDocPath } from './generate.js';

const program = new Command('docs:warehouse')
  .description(
    "Write docs/warehouse.md, the warehouse contract, from the migrated warehouse's catalog and the Cube model " +
      "(DATABASE_URL's, a running `npm start`'s or the embedded PostgreSQL).",
  )
  .option('--check', 'write nothing; exit 1 when docs/warehouse.md differs from what would be written', false)
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program.action((flags: { check: boolean }) =>
  runCommand(async () => {
    const session = await openMigratedWarehouse(loadConfig(), { joinRunning: true });
    try {
      // Only /v1/sql is asked, of a Cube that lives for this command: any secret does.
      const secret = randomBytes(32).toString('hex');
      const cube = await startCubeServer({
        databaseUrl: session.warehouse.url,
        port: 0,
        apiSecret: secret,
        schemaPath: schemaDir,
        preAggregations: false,
      });
      try {
        const doc = await generateWarehouseDoc(
          session.db,
          new CubeClient(cube.apiUrl, mintToken(secret, { admin: true }, { expiresIn: '10m' })),
        );
        if (!flags.check) {
          await fs.writeFile(warehouseDocPath, doc);
          console.log(`Wrote ${warehouseDocPath}`);
        } else if ((await fs.readFile(warehouseDocPath, 'utf8').catch(() => '')) !== doc) {
          console.error(`${warehouseDocPath} is stale: run \`npm run docs:warehouse\`.`);
          process.exitCode = 1;
        }
      } finally {
        await cube.stop();
      }
    } finally {
      await session.close();
    }
  }),
);

await program.parseAsync();
