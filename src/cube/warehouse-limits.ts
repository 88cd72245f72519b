/** How much of the warehouse one tenant's queries may take. */
export interface WarehouseLimits {
  /** Queries of one tenant that run at once; each tenant has its own queue (CUBE_TENANT_CONCURRENCY). */
  tenantConcurrency: number;
  /** Longest a statement may run, queries and rollup builds alike (CUBE_STATEMENT_TIMEOUT). */
  statementTimeoutSeconds: number;
  /** A query nobody has polled for this long is cancelled in the warehouse (CUBE_ORPHANED_TIMEOUT). */
  orphanedTimeoutSeconds: number;
}

export const DEFAULT_WAREHOUSE_LIMITS: WarehouseLimits = {
  tenantConcurrency: 2,
  statementTimeoutSeconds: 60,
  orphanedTimeoutSeconds: 10,
};

/**
 * Cube's API holds a query's request for up to 5 s, then answers "Continue wait" and the client
 * asks again; each ask keeps the query alive. An orphaned timeout must outlast that wait.
 */
export const CUBE_LONG_POLL_SECONDS = 5;

const STATEMENT_TIMEOUT_MESSAGE = /The query ran longer than the statement timeout of \d+ s \(CUBE_STATEMENT_TIMEOUT\)/;

/** Whether an error's text is the statement timeout's message (the queue passes errors on as text). */
export function isStatementTimeout(text: string): boolean {
  return STATEMENT_TIMEOUT_MESSAGE.test(text);
}

export function statementTimeoutMessage(seconds: number): string {
  return (
    `The query ran longer than the statement timeout of ${seconds} s (CUBE_STATEMENT_TIMEOUT) and was stopped. ` +
    'Ask for a shorter date range or a coarser granularity, or raise CUBE_STATEMENT_TIMEOUT.'
  );
}
