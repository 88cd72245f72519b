import { loadConfig } from '../../config.js';
import { connect } from '../../warehouse/connection.js';
import { openWarehouse } from '../../warehouse/index.js';
import { migrateDownAll, migrateLatest } from '../../warehouse/migrate.js';

export async function migrateCommand(options: { down?: boolean }): Promise<void> {
  const warehouse = await openWarehouse(loadConfig());
  const db = connect(warehouse.url);
  try {
    const names = options.down ? await migrateDownAll(db) : await migrateLatest(db);
    const verb = options.down ? 'Reverted' : 'Applied';
    console.log(names.length ? `${verb} ${names.length} migration(s):\n  ${names.join('\n  ')}` : 'Nothing to do.');
  } finally {
    await db.destroy();
    await warehouse.stop();
  }
}
