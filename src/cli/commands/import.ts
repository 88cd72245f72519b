import { colour as pc } from '../colour.js';
import { loadConfig, type Config } from '../../config.js';
import {
  importFile,
  ImportRefused,
  ImportUsageError,
  loadMapping,
  MappingError,
  type ImportFormat,
  type ImportSummary,
} from '../../import/index.js';
import { openMigratedWarehouse } from '../../warehouse/index.js';
import { progressBar } from '../progress.js';
import { resolveApiSecret } from '../../runtime/secret.js';
import { predictWithProgress } from './predict.js';
import { CommandFailed, UsageError } from '../run.js';
import { cubeIsUp } from './report.js';
import { warmWithProgress } from './warm.js';

export interface ImportFlags {
  tenant: string;
  table: string;
  format?: ImportFormat;
  mapping?: string;
  dryRun?: boolean;
  tenantName?: string;
  businessModel?: string;
  through?: Date;
}

export function describeSummary(summary: ImportSummary, file: string): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const rate = Math.round(summary.rows / Math.max(summary.seconds, 1e-9));
  const verb = summary.dryRun ? 'Dry run, nothing written: would import' : 'Imported';
  return [
    `${verb} ${n(summary.rows)} rows of ${file} into ${summary.table} for tenant ${summary.tenant}${summary.tenantCreated ? ' (new tenant)' : ''} in ${summary.seconds.toFixed(1)} s (${n(rate)} rows/s).`,
    `  added      ${n(summary.added).padStart(12)}`,
    `  updated    ${n(summary.updated).padStart(12)}`,
    `  unchanged  ${n(summary.unchanged).padStart(12)}`,
  ].join('\n');
}

/**
 * Through a running `npm start`'s Cube, rebuilds the rollups of the tenant's boards now (the
 * import marked them stale), so the next open shows the import at once.
 */
async function warmRunningCube(config: Config, tenant: string): Promise<void> {
  const url = `http://127.0.0.1:${config.CUBE_PORT}`;
  if (await cubeIsUp(url)) await warmWithProgress(url, await resolveApiSecret(config), [tenant]);
}

export async function importCommand(file: string, flags: ImportFlags): Promise<void> {
  const config = loadConfig();
  let mapping;
  try {
    mapping = flags.mapping ? { file: flags.mapping, mapping: await loadMapping(flags.mapping) } : undefined;
  } catch (error) {
    if (error instanceof MappingError) throw new UsageError(error.message);
    throw error;
  }
  // A running `npm start`'s warehouse when there is one.
  const session = await openMigratedWarehouse(config, { joinRunning: true });
  const bar = progressBar('Reading', 'bytes');
  try {
    const summary = await importFile({
      url: session.warehouse.url,
      tenant: flags.tenant,
      table: flags.table,
      file,
      ...(flags.format ? { format: flags.format } : {}),
      ...(mapping ? { mapping } : {}),
      dryRun: flags.dryRun ?? false,
      ...(flags.tenantName ? { tenantName: flags.tenantName } : {}),
      ...(flags.businessModel ? { businessModel: flags.businessModel } : {}),
      ...(flags.through ? { through: flags.through } : {}),
      onProgress: (event) => {
        if (event.phase === 'reading') bar.update(event.bytes, event.totalBytes, file);
        else {
          bar.stop();
          console.log(`  ${event.phase}…`);
        }
      },
    });
    bar.stop();
    console.log(pc.green(describeSummary(summary, file)));
    // The tenant's predictions read its history: fit again when it changed, then rebuild the
    // rollups of its boards (a running `npm start`'s) so they show the import at once.
    if (!summary.dryRun && (summary.added + summary.updated > 0 || flags.through)) {
      await predictWithProgress(session.db, { tenant: summary.tenant });
      await warmRunningCube(config, summary.tenant);
    }
  } catch (error) {
    bar.stop();
    if (error instanceof ImportRefused) throw new CommandFailed(error.message);
    if (error instanceof ImportUsageError || error instanceof MappingError) throw new UsageError(error.message);
    throw error;
  } finally {
    await session.close();
  }
}
