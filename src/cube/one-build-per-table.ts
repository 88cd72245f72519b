import orchestrator from '@cubejs-backend/query-orchestrator';

// The package's module.exports is built in a loop, so Node's ESM loader finds no named exports.
const { PreAggregationLoader } = orchestrator;

interface Loader {
  /** Schema-qualified: the tenant's rollup schema and the partition's name. */
  preAggregation: { tableName: string };
  contentVersion(invalidationKeys: unknown): string;
  preAggregationQueryKey(invalidationKeys: unknown): unknown;
}

let applied = false;

/**
 * Cube 0.35.81 names a rollup partition's table by its content version, computed from the SQL
 * over the partition's whole range (structureVersionLoadSql), and the second the build was
 * planned; but it queues the build under the SQL it runs, whose range ends at the end of the
 * data (loadSql). For a tenant with no rows in a rollup's cube that end is "now", read to the
 * millisecond by each request (PreAggregationPartitionRangeLoader#orNowIfEmpty). So queries that
 * arrive together (a board's panels) plan one table under several queue keys, and the queue,
 * which merges builds by key, runs each: the second fails with PostgreSQL's
 * `relation "…" already exists`, or a query re-listing the schema while the other build is still
 * queued is told the table is not there (Cube hides tables a queued build targets) and fails
 * with "Pre-aggregation table is not found … after it was successfully created".
 *
 * Here a build is queued under what names its table (the partition and its content version),
 * so the builds of one table are one build, whichever range end they read.
 */
export function buildEachTableOnce(): void {
  if (applied) return;
  applied = true;
  const prototype = PreAggregationLoader.prototype as unknown as Loader;
  prototype.preAggregationQueryKey = function (this: Loader, invalidationKeys) {
    return [this.preAggregation.tableName, this.contentVersion(invalidationKeys)];
  };
}
