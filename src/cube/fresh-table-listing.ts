import orchestrator from '@cubejs-backend/query-orchestrator';

// The package's module.exports is built in a loop, so Node's ESM loader finds no named exports.
const { PreAggregationLoader } = orchestrator;

interface PreAggregationDescription {
  preAggregationsSchema: string;
}
/** PreAggregationLoadCache (not exported): a request's view of the rollup tables, per schema. */
interface LoadCache {
  tables: Record<string, unknown>;
  tableColumnTypes: Record<string, unknown>;
  queryStageState: unknown;
  versionEntries: Record<string, unknown>;
  fetchTables(preAggregation: PreAggregationDescription): Promise<unknown>;
  tablesCachePrefixKey(preAggregation: PreAggregationDescription): string;
  reset(preAggregation: PreAggregationDescription): Promise<void>;
  /** Start order of the listing that `tables` holds, per schema key. */
  listingStarted?: Record<string, number>;
}
interface Loader {
  loadCache: LoadCache;
  loadPreAggregationWithKeys(): Promise<unknown>;
}

let applied = false;
let patchedLoadCache = false;
let listings = 0;

/**
 * After building a rollup table, Cube 0.35.81 re-lists the schema's tables (LoadCache#reset) and
 * fails with "Pre-aggregation table is not found for … after it was successfully created" if
 * the new table is not in the list. It lists them through a queue that merges requests by schema
 * name, so the re-listing can join one that another partition's loader started before this
 * table was committed, and get (and cache) a list without it. A query over several partitions
 * of one rollup builds them two at a time (the tenant's concurrency), so the third partition's
 * re-listing can join the one its predecessors' finishing started; under load, that listing
 * takes long enough to be overtaken.
 *
 * Here the re-listing reads the catalog itself, after the build, which also refreshes the shared
 * cache. Loaders of one request share the load cache and each re-lists after its own build: the
 * list that started last holds every table committed before it started, so an older one never
 * replaces it.
 */
export function relistTablesAfterEachBuild(): void {
  if (applied) return;
  applied = true;
  const prototype = PreAggregationLoader.prototype as unknown as Loader;
  const loadPreAggregationWithKeys = prototype.loadPreAggregationWithKeys;
  prototype.loadPreAggregationWithKeys = function (this: Loader) {
    if (!patchedLoadCache) {
      patchedLoadCache = true;
      patchReset(Object.getPrototypeOf(this.loadCache) as LoadCache);
    }
    return loadPreAggregationWithKeys.call(this);
  };
}

function patchReset(prototype: LoadCache): void {
  prototype.reset = async function (this: LoadCache, preAggregation) {
    const key = this.tablesCachePrefixKey(preAggregation);
    const started = ++listings;
    const tables = await this.fetchTables(preAggregation);
    this.listingStarted ??= {};
    if ((this.listingStarted[key] ?? 0) > started) return;
    this.listingStarted[key] = started;
    this.tables = { [key]: tables };
    this.tableColumnTypes = {};
    this.queryStageState = undefined;
    this.versionEntries = {};
  };
}
