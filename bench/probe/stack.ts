import { warmBoards } from '../../src/cube/warm-up.js';
import { startProbeServers, type ProbeServers } from './servers.js';
import { StatementRunner } from './sql-oracle.js';
import type { ProbeTargets } from './run.js';
import { prepareProbeWarehouses, type ProbeWarehouses } from './warehouses.js';

export interface ProbeStack {
  targets: ProbeTargets;
  tenants: string[];
  warehouses: ProbeWarehouses;
  servers: ProbeServers;
  close(): Promise<void>;
}

export interface ProbeStackOptions {
  /** A server URL whose user may create databases. */
  adminUrl: string;
  /** Names of the probe's databases start with it; an earlier run's are replaced. */
  prefix: string;
  apiSecret: string;
  customers: number;
  seed: number;
  /** Port of the Cube under test (0: any free port). */
  cubePort?: number;
  /** For Cube's servers and the statements run on both warehouses: shorter than the probe's wait for an answer. */
  statementTimeoutMs: number;
}

/** The generated history ends here, so a seed gives the same warehouse on any day. */
export const PROBE_DATA_UNTIL = new Date('2026-11-01T00:00:00Z');
const PROBE_MONTHS = 12;

/** Warehouses (shared, one per tenant, empty), a Cube over each, and the targets the probe needs. */
export async function startProbeStack(options: ProbeStackOptions): Promise<ProbeStack> {
  const warehouses = await prepareProbeWarehouses(options.adminUrl, {
    prefix: options.prefix,
    customers: options.customers,
    seed: options.seed,
    until: PROBE_DATA_UNTIL,
    months: PROBE_MONTHS,
  });
  let servers: ProbeServers | undefined;
  const runners: StatementRunner[] = [];
  const runner = (url: string) => {
    const r = new StatementRunner(url, options.statementTimeoutMs);
    runners.push(r);
    return r;
  };
  const close = async () => {
    await servers?.stop();
    await Promise.all(runners.map((r) => r.close()));
    await warehouses.drop();
  };
  try {
    servers = await startProbeServers(
      warehouses,
      options.apiSecret,
      Math.max(1, Math.round(options.statementTimeoutMs / 1000)),
      options.cubePort ?? 0,
    );
    const { target, oracles, empty } = servers;
    // Every board's rollups built first, one query at a time, as npm start does: concurrent first
    // builds of one partition fail in Cube 0.35.81 ("relation … already exists"), on the target
    // and an oracle alike, which would read as an answer that depends on other tenants' rows.
    const warm = (apiUrl: string, tenants: string[]) =>
      warmBoards({ apiUrl, apiSecret: options.apiSecret, tenants, now: PROBE_DATA_UNTIL });
    await warm(target.apiUrl, warehouses.tenants);
    for (const [tenant, oracle] of oracles) await warm(oracle.apiUrl, [tenant]);
    const shared = runner(warehouses.sharedUrl);
    const isolated = new Map([...warehouses.isolatedUrls].map(([tenant, url]) => [tenant, runner(url)]));
    const none = runner(warehouses.emptyUrl);
    const targets: ProbeTargets = {
      url: target.url,
      oracleUrl: (tenant, known) => (known ? oracles.get(tenant)?.url : undefined) ?? empty.url,
      statements: { shared, isolated: (tenant, known) => (known ? isolated.get(tenant) : undefined) ?? none },
    };
    return { targets, tenants: warehouses.tenants, warehouses, servers, close };
  } catch (error) {
    await close();
    throw error;
  }
}
