/** How much of the warehouse one tenant's queries may take. */
export interface WarehouseLimits {
  /** Queries of one tenant that run at once; each tenant has its own queue (CUBE_TENANT_CONCURRENCY). */
  tenantConcurrency: number;
  /** Longest a query may run in the warehouse (CUBE_STATEMENT_TIMEOUT). */
  statementTimeoutSeconds: number;
  /**
   * Longest a rollup build may run (CUBE_BUILD_TIMEOUT). Builds run in the background, and at 1M
   * customers a shop's funnel rows take minutes: under the queries' limit they never finished.
   */
  buildTimeoutSeconds: number;
  /** A query nobody has polled for this long is cancelled in the warehouse (CUBE_ORPHANED_TIMEOUT). */
  orphanedTimeoutSeconds: number;
}

export const DEFAULT_WAREHOUSE_LIMITS: WarehouseLimits = {
  tenantConcurrency: 2,
  statementTimeoutSeconds: 60,
  buildTimeoutSeconds: 1800,
  orphanedTimeoutSeconds: 10,
};

/**
 * Cube's API holds a query's request for up to 5 s, then answers "Continue wait" and the client
 * asks again; each ask keeps the query alive. An orphaned timeout must outlast that wait.
 */
export const CUBE_LONG_POLL_SECONDS = 5;

const TIMEOUT_MESSAGES = [
  /The query ran longer than the statement timeout of \d+ s \(CUBE_STATEMENT_TIMEOUT\)/,
  /A rollup build ran longer than the build timeout of \d+ s \(CUBE_BUILD_TIMEOUT\)/,
];

/** Whether an error's text is a timeout's message (the queue passes errors on as text). */
export function isStatementTimeout(text: string): boolean {
  return TIMEOUT_MESSAGES.some((message) => message.test(text));
}

export function statementTimeoutMessage(seconds: number): string {
  return (
    `The query ran longer than the statement timeout of ${seconds} s (CUBE_STATEMENT_TIMEOUT) and was stopped. ` +
    'Ask for a shorter date range or a coarser granularity, or raise CUBE_STATEMENT_TIMEOUT.'
  );
}

export function buildTimeoutMessage(seconds: number): string {
  return (
    `A rollup build ran longer than the build timeout of ${seconds} s (CUBE_BUILD_TIMEOUT) and was stopped. ` +
    'Raise CUBE_BUILD_TIMEOUT for a warehouse this large.'
  );
}
