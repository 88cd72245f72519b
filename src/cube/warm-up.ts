import { dashboardQueries } from '@engagement/contract/node';
import { CubeClient } from './client.js';
import { mintToken } from './tokens.js';

export interface WarmUpResult {
  tenants: number;
  queries: number;
  /** Queries Cube answered with an error (the board shows the same error when opened). */
  failed: { tenant: string; panel: string; error: string }[];
  seconds: number;
}

export interface WarmUpOptions {
  apiUrl: string;
  apiSecret: string;
  tenants: string[];
  /** The end of the boards' default range (the last 12 months): now. */
  now?: Date;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Opens every provisioned board for every tenant on its default range, so Cube builds each
 * rollup partition the boards read before anybody opens one. (Cube 0.35.81's own scheduled
 * refresh cannot build the lifecycle rollups: it plans their rolling windows without a date
 * range and fails with "Time series queries without dateRange aren't supported".) One query at
 * a time: it runs in the background, and a board opened meanwhile should not queue behind a whole
 * board's builds.
 */
export async function warmBoards(options: WarmUpOptions): Promise<WarmUpResult> {
  const started = Date.now();
  const to = options.now ?? new Date();
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 12, to.getUTCDate(), to.getUTCHours(), to.getUTCMinutes()));
  const panels = dashboardQueries({ from, to });
  const total = panels.length * options.tenants.length;
  const failed: WarmUpResult['failed'] = [];
  let done = 0;
  for (const tenant of options.tenants) {
    const client = new CubeClient(options.apiUrl, mintToken(options.apiSecret, { tenant }, { expiresIn: '1h' }), { maxWaitMs: 600_000 });
    for (const { panel, query } of panels) {
      try {
        await client.load(query);
      } catch (error) {
        failed.push({ tenant, panel, error: error instanceof Error ? error.message : String(error) });
      }
      options.onProgress?.(++done, total);
    }
  }
  return { tenants: options.tenants.length, queries: total, failed, seconds: (Date.now() - started) / 1000 };
}

/** The warm-up's summary line, naming the first queries that failed. */
export function describeWarmUp(result: WarmUpResult): string {
  const head = `Rollups ready: ${result.queries} board queries for ${result.tenants} tenant${result.tenants === 1 ? '' : 's'} in ${result.seconds.toFixed(1)} s`;
  if (!result.failed.length) return `${head}.`;
  const first = result.failed.slice(0, 3).map((f) => `\n  ${f.tenant}, ${f.panel}: ${f.error}`);
  return `${head}; ${result.failed.length} failed, as they will when the board opens:${first.join('')}`;
}
