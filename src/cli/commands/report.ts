import { useColour } from '../colour.js';
import { loadConfig } from '../../config.js';
import { mintToken } from '../../cube/tokens.js';
import { CubeClient } from '../../cube/client.js';
import { openMigratedWarehouse } from '../../warehouse/index.js';
import { listTenants } from '../../warehouse/tenant-list.js';
import { formatInsights, formatReport } from '../../report/format.js';
import { loadInsights } from '../../report/insights.js';
import { buildKpiReport, loadDataThrough } from '../../report/kpi-report.js';
import { resolveApiSecret } from '../../runtime/secret.js';
import { startStack } from '../../runtime/stack.js';
import { UsageError } from '../run.js';

export interface ReportFlags {
  tenant?: string;
  month?: string;
  json?: boolean;
}

/** The month before the current one, as YYYY-MM: the last full month. */
export function lastFullMonth(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

/** The report of one of `tenants` (the warehouse's, listTenants) from the Cube at `apiUrl`. */
export async function printReport(apiUrl: string, secret: string, tenants: string[], flags: ReportFlags): Promise<void> {
  const tenant = flags.tenant ?? tenants[0];
  if (!tenant) throw new UsageError('The warehouse has no tenants yet: run `npm run seed` first.');
  if (!tenants.includes(tenant)) throw new UsageError(`Unknown tenant "${tenant}". Known tenants: ${tenants.join(', ')}.`);
  const month = flags.month ?? lastFullMonth();
  const client = new CubeClient(apiUrl, mintToken(secret, { tenant }, { expiresIn: '10m' }));
  const results = await buildKpiReport(client, month);
  const dataThrough = await loadDataThrough(client);
  const insights = await loadInsights(client, month);
  if (flags.json) console.log(JSON.stringify({ tenant, month, dataThrough, kpis: results, insights }, null, 2));
  else console.log(`${formatReport(results, { tenant, month, dataThrough, colour: useColour })}\n\n${formatInsights(insights, month)}`);
}

/** true when a Cube (a running `npm start`) answers on this URL. */
export async function cubeIsUp(url: string): Promise<boolean> {
  try {
    // /livez: a running `npm start` whose warehouse is down still answers, and says so per query.
    return (await fetch(`${url}/livez`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/**
 * Uses the Cube of a running `npm start` when there is one, else starts its own for the report;
 * either way over the running `npm start`'s warehouse when there is one.
 */
export async function reportCommand(flags: ReportFlags): Promise<void> {
  const config = loadConfig();
  const running = `http://127.0.0.1:${config.CUBE_PORT}`;
  if (await cubeIsUp(running)) {
    const session = await openMigratedWarehouse(config, { joinRunning: true });
    try {
      await printReport(`${running}/cubejs-api/v1`, await resolveApiSecret(config), await listTenants(session.db), flags);
    } finally {
      await session.close();
    }
    return;
  }
  const stack = await startStack(config, { port: 0, joinRunningWarehouse: true });
  try {
    await printReport(stack.cube.apiUrl, stack.apiSecret, await listTenants(stack.session.db), flags);
  } finally {
    await stack.close();
  }
}
