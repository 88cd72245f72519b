import { rebuildPartitionsAfterDataChanges } from './data-change-keys.js';
import { relistTablesAfterEachBuild } from './fresh-table-listing.js';
import { buildEachTableOnce } from './one-build-per-table.js';
import { computeRunningTotalsInOnePass } from './one-pass-rolling-windows.js';
import { buildPartitionsToTheEndOfTheData } from './partition-build-range.js';
import { keepLocksOfRunningQueries } from './queue-lock-fix.js';
import { keepFirstPeriodOfRollingWindows } from './rolling-window-dimensions.js';
import { refuseUnrelatedFacts } from './unrelated-facts-guard.js';

/**
 * Every change this project makes to Cube 0.35.81's own classes, each explained in its module:
 * one list for our server and for the Docker image's config, so both run the same Cube. Each
 * applies once however often this is called.
 */
export function applyOrchestratorFixes(): void {
  buildPartitionsToTheEndOfTheData();
  keepFirstPeriodOfRollingWindows();
  computeRunningTotalsInOnePass();
  keepLocksOfRunningQueries();
  refuseUnrelatedFacts();
  relistTablesAfterEachBuild();
  buildEachTableOnce();
  rebuildPartitionsAfterDataChanges();
}
