import orchestrator from '@cubejs-backend/query-orchestrator';

// The package's module.exports is built in a loop, so Node's ESM loader finds no named exports.
const { PreAggregationLoader, PreAggregationPartitionRangeLoader } = orchestrator;

type KeyQuery = [string, unknown[], Record<string, unknown>];
interface Description {
  /** The SQL that builds the table, with the names of the tables it reads from. */
  loadSql?: [string, unknown[]];
  invalidateKeyQueries?: KeyQuery[];
  partitionInvalidateKeyQueries?: KeyQuery[];
  /** A partition's end as a local timestamp in `timezone`; absent on rollups without partitions. */
  buildRangeEnd?: string;
  timezone?: string;
}
interface Loader {
  preAggregation: Description;
  /** The tables this request has already resolved: [name in the SQL, the table built for it]. */
  preAggregationsTablesToTempTables: [string, { targetTableName: string }][];
  waitForRenew?: boolean;
  forceBuild?: boolean;
  isJob?: boolean;
  logger(message: string, details: Record<string, unknown>): void;
  loadPreAggregation(throwOnMissingPartition?: boolean): Promise<unknown>;
  loadPreAggregationWithKeys(): Promise<{ targetTableName: string }>;
  getPartitionInvalidationKeyValues(): Promise<unknown[]>;
  contentVersion(invalidationKeys: unknown[]): string;
}

/**
 * How often Cube asks the warehouse whether data changed (seconds); after an import the boards
 * show the new data within about this long plus the rebuild.
 */
export const DATA_CHANGE_CHECK_SECONDS = 10;

interface RangeLoader {
  waitForRenew?: boolean;
  loadCache: { keyQueryResult(query: KeyQuery, waitForRenew: boolean | undefined, priority: number): Promise<unknown> };
  priority(base: number): number;
  getInvalidationKeyValues(range: unknown): Promise<unknown[]>;
}

const marked = Symbol('dataChangeKey');
let applied = false;

/**
 * A rollup partition is rebuilt when its refresh key changes, and an incremental one's key stops
 * changing once it is older than the update window (31 days): history imported later never
 * reached the boards. Each partition gets one more key here, the latest import (tenancy.data_changes,
 * written by `npm run import`) that reaches into its range, so the partitions an import touches,
 * and only those, are rebuilt on their next use. The table is row-level secured: a tenant's
 * role sees only its own imports.
 */
export function rebuildPartitionsAfterDataChanges(): void {
  if (applied) return;
  applied = true;
  const prototype = PreAggregationLoader.prototype as unknown as Loader;
  const loadPreAggregation = prototype.loadPreAggregation;
  prototype.loadPreAggregation = function (this: Loader & { [marked]?: true }, throwOnMissingPartition) {
    if (!this[marked]) {
      this[marked] = true;
      this.preAggregation = withDataChangeKey(this.preAggregation);
    }
    return loadPreAggregation.call(this, throwOnMissingPartition);
  };
  rebuildStaleTablesInTheBackground(prototype);
  rebuildWhenTheSourceIsRebuilt(prototype);
  listPartitionsAgainAfterDataChanges();
}

/**
 * A rollup built from another pre-aggregation's table (the funnels' rollups read their cube's
 * original_sql table of funnel rows) is as current as the table it read: the table it was built
 * from is one more key, so a rebuilt source rebuilds the rollup. Without it, a rollup rebuilt
 * after an import but before the source was kept the old numbers under the new keys.
 */
function rebuildWhenTheSourceIsRebuilt(prototype: Loader): void {
  const getPartitionInvalidationKeyValues = prototype.getPartitionInvalidationKeyValues;
  prototype.getPartitionInvalidationKeyValues = async function (this: Loader) {
    const keys = await getPartitionInvalidationKeyValues.call(this);
    const sql = this.preAggregation.loadSql?.[0] ?? '';
    const sources = this.preAggregationsTablesToTempTables.filter(([name]) => sql.includes(name)).map(([, table]) => table.targetTableName);
    return sources.length > 0 ? [...keys, ...sources] : keys;
  };
}

/**
 * Which partitions a rollup has follows its build range, a min and max Cube keeps for a day, or
 * until the refresh key of its first or last partition changes: history imported from before
 * the earliest data (a cart of 2019 where there were only this year's) got no partition until
 * the next day. The range is asked again once the tenant's latest import is newer.
 */
function listPartitionsAgainAfterDataChanges(): void {
  const prototype = PreAggregationPartitionRangeLoader.prototype as unknown as RangeLoader;
  const getInvalidationKeyValues = prototype.getInvalidationKeyValues;
  prototype.getInvalidationKeyValues = async function (this: RangeLoader, range) {
    const [keys, latestChange] = await Promise.all([
      getInvalidationKeyValues.call(this, range),
      this.loadCache.keyQueryResult(dataChangeKey(undefined), this.waitForRenew, this.priority(10)),
    ]);
    return [...keys, latestChange];
  };
}

/**
 * A query that finds a rollup table whose refresh keys have changed since it was built gets that
 * table (Cube 0.35 only rebuilds it for a refresh worker or a renewQuery, and this server runs no
 * refresh worker): here it also starts the rebuild, in the background, so the next query reads
 * the new table. Cube's own queue runs the build, once however many queries ask for it.
 */
function rebuildStaleTablesInTheBackground(prototype: Loader): void {
  const loadPreAggregationWithKeys = prototype.loadPreAggregationWithKeys;
  prototype.loadPreAggregationWithKeys = async function (this: Loader) {
    const result = await loadPreAggregationWithKeys.call(this);
    if (this.waitForRenew || this.forceBuild || this.isJob) return result;
    const current = this.contentVersion(await this.getPartitionInvalidationKeyValues());
    // Cube names a rollup table <name>_<content version>_<structure version>_<built at>.
    if (!result.targetTableName.includes(`_${current}_`)) {
      const renewing = Object.create(this, { waitForRenew: { value: true } }) as Loader;
      loadPreAggregationWithKeys.call(renewing).catch((error: unknown) => {
        if (error instanceof Error && error.name === 'ContinueWaitError') return;
        this.logger('Error refreshing pre-aggregation', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      });
    }
    return result;
  };
}

/** The tenant's latest import reaching into a range that ends at `buildRangeEnd` (any range if undefined). */
function dataChangeKey(buildRangeEnd: string | undefined, timezone = 'UTC'): KeyQuery {
  const options = { renewalThreshold: DATA_CHANGE_CHECK_SECONDS, external: false };
  return buildRangeEnd === undefined
    ? ['SELECT max(changed_at) AS data_changed FROM tenancy.data_changes', [], options]
    : [
        'SELECT max(changed_at) AS data_changed FROM tenancy.data_changes WHERE from_at <= ($1::timestamp AT TIME ZONE $2)',
        [buildRangeEnd, timezone],
        options,
      ];
}

function withDataChangeKey(description: Description): Description {
  const key = dataChangeKey(description.buildRangeEnd, description.timezone);
  return {
    ...description,
    invalidateKeyQueries: [...(description.invalidateKeyQueries ?? []), key],
    // An empty list marks a real-time rollup: it has no keys to add to.
    ...(description.partitionInvalidateKeyQueries?.length
      ? { partitionInvalidateKeyQueries: [...description.partitionInvalidateKeyQueries, key] }
      : {}),
  };
}
