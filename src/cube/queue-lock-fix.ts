import orchestrator from '@cubejs-backend/query-orchestrator';

// The package's module.exports is built in a loop, so Node's ESM loader finds no named exports.
const { LocalQueueDriverConnection } = orchestrator;

interface QueueConnection {
  redisHash(queryKey: unknown): string;
  active: Record<string, unknown>;
  freeProcessingLock(queryKey: unknown, processingId: unknown, activated: unknown): unknown;
}

let applied = false;

/**
 * Cube 0.35.81's in-memory queue can lose a running query. Two reconciles close together (two
 * queries arriving at once) both start processing the same queued query; the one that finds it
 * locked frees the lock on its way out, because a queued query's processing id is its queue id,
 * the same for both. The running query's result is then dropped as "orphaned", its slot stays
 * taken for good, and its client waits forever: with a concurrency of 1 the tenant's queue stops.
 * A query that is active belongs to the call that activated it; only that call frees it.
 * Upstream removed these locks later (cube-js/cube#11638).
 */
export function keepLocksOfRunningQueries(): void {
  if (applied) return;
  applied = true;
  const prototype = LocalQueueDriverConnection.prototype as unknown as QueueConnection;
  const freeProcessingLock = prototype.freeProcessingLock;
  prototype.freeProcessingLock = function (this: QueueConnection, queryKey, processingId, activated) {
    if (!activated && this.active[this.redisHash(queryKey)]) return undefined;
    return freeProcessingLock.call(this, queryKey, processingId, activated);
  };
}
