import { loadConfig } from '../../config.js';
import { openMigratedWarehouse } from '../../warehouse/index.js';
import { loadWorkedExamples, workedExamples } from '../../../seeds/worked-examples.js';

export async function examplesCommand(): Promise<void> {
  const session = await openMigratedWarehouse(loadConfig());
  try {
    const counts = await loadWorkedExamples(session.db);
    console.log(`Loaded the worked-example tenants: ${Object.values(workedExamples).join(', ')}`);
    for (const [table, rows] of Object.entries(counts)) if (rows) console.log(`  ${table.padEnd(18)} ${rows.toLocaleString('en-US')}`);
  } finally {
    await session.close();
  }
}
