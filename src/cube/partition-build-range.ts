import orchestrator from '@cubejs-backend/query-orchestrator';

// The package's module.exports is built in a loop, so Node's ESM loader finds no named exports.
const { PreAggregationPartitionRangeLoader } = orchestrator;

type DateRange = [string, string];
interface PartitionRanges {
  buildRange: DateRange;
  partitionRanges: DateRange[];
}
interface RangeLoader {
  partitionRanges(ignoreMatchedDateRange?: boolean): Promise<PartitionRanges>;
  loadBuildRange(): Promise<DateRange>;
}

let applied = false;

/**
 * Cube 0.35 builds a missing partition only up to the end of the query that asked for it: a
 * year partition first needed by a query ending on 27 September holds no rows after that day,
 * and, its table name being the same, later queries read it as if it were whole until the
 * refresh key changes (up to an hour of wrong totals). The query still picks which partitions
 * it needs; this makes each one be built up to the end of the data instead.
 */
export function buildPartitionsToTheEndOfTheData(): void {
  if (applied) return;
  applied = true;
  const prototype = PreAggregationPartitionRangeLoader.prototype as unknown as RangeLoader;
  const partitionRanges = prototype.partitionRanges;
  prototype.partitionRanges = async function (this: RangeLoader, ignoreMatchedDateRange?: boolean) {
    const ranges = await partitionRanges.call(this, ignoreMatchedDateRange);
    if (ranges.partitionRanges.length === 0) return ranges;
    return { ...ranges, buildRange: await this.loadBuildRange() };
  };
}
