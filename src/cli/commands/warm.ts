import { colour as pc } from '../colour.js';
import { loadConfig } from '../../config.js';
import { describeWarmUp, warmBoards, type WarmUpResult } from '../../cube/warm-up.js';
import { resolveApiSecret } from '../../runtime/secret.js';
import { openMigratedWarehouse } from '../../warehouse/index.js';
import { listTenants } from '../../warehouse/tenant-list.js';
import { progressBar } from '../progress.js';
import { CommandFailed, UsageError } from '../run.js';
import { cubeIsUp } from './report.js';

export interface WarmFlags {
  tenant?: string;
  cubeUrl?: string;
  wait: number;
}

/** Opens every board of the tenants through the Cube at `url`, with a progress bar, and prints the summary. */
export async function warmWithProgress(url: string, apiSecret: string, tenants: string[]): Promise<WarmUpResult> {
  const bar = progressBar('Rollups', 'board queries');
  try {
    const result = await warmBoards({
      apiUrl: `${url}/cubejs-api/v1`,
      apiSecret,
      tenants,
      onProgress: (done, total) => bar.update(done, total, tenants.length === 1 ? tenants[0]! : `${tenants.length} tenants`),
    });
    bar.stop();
    console.log((result.failed.length ? pc.yellow : pc.green)(describeWarmUp(result)));
    return result;
  } finally {
    bar.stop();
  }
}

async function waitForCube(url: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await cubeIsUp(url))) {
    if (Date.now() > deadline) {
      throw new CommandFailed(`No Cube answers on ${url}/livez after ${seconds} s: start one (npm start), or pass --cube-url.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Builds the rollups every provisioned board reads, for one tenant or all, through a running Cube. */
export async function warmCommand(flags: WarmFlags): Promise<void> {
  const config = loadConfig();
  const url = (flags.cubeUrl ?? `http://127.0.0.1:${config.CUBE_PORT}`).replace(/\/+$/, '');
  const session = await openMigratedWarehouse(config, { joinRunning: true });
  let tenants: string[];
  try {
    tenants = await listTenants(session.db);
  } finally {
    await session.close();
  }
  if (flags.tenant !== undefined && !tenants.includes(flags.tenant)) {
    throw new UsageError(`Unknown tenant "${flags.tenant}". Known tenants: ${tenants.join(', ') || 'none yet (run npm run seed)'}.`);
  }
  await waitForCube(url, flags.wait);
  const result = await warmWithProgress(url, await resolveApiSecret(config), flags.tenant ? [flags.tenant] : tenants);
  if (result.failed.length) throw new CommandFailed(`${result.failed.length} board queries failed (above).`);
}
