import { mintToken } from '../../src/cube/tokens.js';
import { clip, errorMessage, isFinished, pagesOf, refusalReason, sameExecution, totalsOf, unfinishedOn } from './answers.js';
import {
  classify,
  compareRows,
  dryRunIsScoped,
  leakedTenantIds,
  rowSets,
  rowsNamingAnotherTenant,
  sqlIsScoped,
  sqlStatements,
  type Outcome,
  type Row,
} from './check.js';
import { generateCase, type ProbeCase } from './generate.js';
import { send, type ProbeRequest, type ProbeResponse } from './http.js';
import { fetchModel } from './model.js';
import { ORACLE_ROW_CAP, oracleRequest, routes, type Route, type RouteName } from './routes.js';
import type { StatementRunner } from './sql-oracle.js';

/** Where the probe sends its queries, and where it finds the right answers. */
export interface ProbeTargets {
  /** Root URL of the Cube under test (over the warehouse with every tenant's rows). */
  url: string;
  /** Root URL of a Cube serving the same model over a warehouse holding `tenant`'s rows only (none if it does not exist). */
  oracleUrl(tenant: string, known: boolean): string;
  /**
   * Whose token asks the oracle (default: the case's tenant). Cube refuses a token naming a tenant
   * its warehouse lacks, and each copy holds one tenant: a test that swaps copies swaps this too.
   */
  oracleTenant?(tenant: string): string;
  /** Runs `/v1/sql` statements on the shared warehouse and on a tenant's copy; without it they are only checked for scoping. */
  statements?: { shared: StatementRunner; isolated(tenant: string, known: boolean): StatementRunner };
}

export interface ProbeOptions {
  apiSecret: string;
  tenants: readonly string[];
  queries: number;
  seed: number;
  concurrency: number;
  /** Per request, including Cube's "Continue wait" rounds. */
  timeoutMs: number;
  /** Stop starting cases after this long; the result says it stopped early. */
  maxMs: number;
  /** Run only these case indexes (a replay of findings). */
  only?: readonly number[];
  onProgress?: (done: number, total: number, findings: number) => void;
}

export type FindingKind = 'foreign rows' | 'differs' | 'unscoped' | 'unverified' | '5xx' | 'timeout' | 'bad response';

export interface Finding {
  case: number;
  route: RouteName;
  kind: FindingKind;
  tenant: string;
  status: number | null;
  detail: string;
  query: string;
}

export interface RouteStats {
  route: RouteName;
  queries: number;
  ok: number;
  refused: number;
  serverErrors: number;
  bad: number;
  timeouts: number;
  foreignRows: number;
  differs: number;
  unscoped: number;
  unverified: number;
  /** Answers compared with an oracle (data routes) or statements run on both warehouses (sql). */
  checked: number;
  ms: number[];
  /** Why queries were refused: the start of each error message, with how often it came. */
  refusals: Record<string, number>;
}

export interface ProbeRun {
  seed: number;
  requested: number;
  ran: number;
  stoppedEarly: boolean;
  seconds: number;
  routes: RouteStats[];
  findings: Finding[];
  /** Findings counted, including those beyond the ones kept in `findings`. */
  findingCount: number;
}

/** Findings kept per kind (all are counted): a run full of 5xx must still list every leak it saw. */
const KEEP_PER_KIND = 100;
/** Worst first, the order a report lists them in. */
export const findingKinds: readonly FindingKind[] = ['foreign rows', 'differs', 'unscoped', 'unverified', 'timeout', '5xx', 'bad response'];

function emptyStats(route: RouteName): RouteStats {
  return {
    route,
    queries: 0,
    ok: 0,
    refused: 0,
    serverErrors: 0,
    bad: 0,
    timeouts: 0,
    foreignRows: 0,
    differs: 0,
    unscoped: 0,
    unverified: 0,
    checked: 0,
    ms: [],
    refusals: {},
  };
}

interface Verdict {
  foreignRows: number;
  differs?: string;
  unscoped?: string;
  unverified?: string;
  /** Foreign rows' evidence. */
  foreign?: string;
}

export async function runProbe(targets: ProbeTargets, options: ProbeOptions): Promise<ProbeRun> {
  const started = Date.now();
  const model = await fetchModel(`${targets.url}/cubejs-api/v1`, mintToken(options.apiSecret, { admin: true }));
  const stats = new Map(routes.map((r) => [r.name, emptyStats(r.name)]));
  const findings: Finding[] = [];
  let findingCount = 0;
  const indexes = options.only ?? Array.from({ length: options.queries }, (_, i) => i);
  const tokens = new Map<string, string>();
  const tokenFor = (tenant: string) => {
    if (!tokens.has(tenant)) tokens.set(tenant, mintToken(options.apiSecret, { tenant }, { expiresIn: '1d' }));
    return tokens.get(tenant)!;
  };

  const record = (probe: ProbeCase, route: Route, kind: FindingKind, response: ProbeResponse, detail: string) => {
    findingCount++;
    if (findings.filter((f) => f.kind === kind).length < KEEP_PER_KIND) {
      findings.push({
        case: probe.index,
        route: route.name,
        kind,
        tenant: probe.tenant,
        status: response.status,
        detail: clip(detail),
        query: clip(JSON.stringify(route.kind === 'multi' ? probe.multi : route.kind === 'graphql' ? probe.graphql : probe.query)),
      });
    }
  };

  async function judge(
    probe: ProbeCase,
    route: Route,
    request: ProbeRequest,
    response: ProbeResponse,
    oracle: (r: ProbeRequest) => Promise<ProbeResponse>,
  ): Promise<Verdict> {
    const me = probe.tenant;
    const foreignIds = options.tenants.filter((t) => t !== me);
    const leaked = leakedTenantIds(response.text, JSON.stringify(request) + me, foreignIds);
    const verdict: Verdict = { foreignRows: 0 };
    if (leaked.length) {
      verdict.foreignRows += 1;
      verdict.foreign = `the answer names ${leaked.join(', ')}, which the request did not: ${clip(response.text, 600)}`;
    }
    const outcome = classify(route.kind, response);
    if (outcome === 'refused' || outcome === '5xx') {
      // An error message can carry data too (an injected cast error quoting a count): the same
      // request on the tenant's own rows must fail with the same words.
      const own = await oracle(request);
      const [mine, theirs] = [errorMessage(response.body), errorMessage(own.body)];
      const ownOutcome = classify(route.kind, own);
      if (mine !== null && theirs !== null && (ownOutcome === 'refused' || ownOutcome === '5xx') && mine !== theirs) {
        verdict.differs = `the error depends on other tenants' rows: "${clip(mine, 300)}" where the tenant's own rows give "${clip(theirs, 300)}"`;
      }
    }
    if (outcome !== 'ok') return verdict;
    if (route.kind === 'sql') {
      const statements = sqlStatements(response.body)!;
      const unscoped = statements.filter((s) => !sqlIsScoped(s, me));
      if (unscoped.length) verdict.unscoped = `no tenant_id = '${me}' in ${clip(unscoped[0]![0], 600)}`;
      if (targets.statements) {
        for (const [sql, params] of statements) {
          if (sql.includes('cube_pre_aggregations')) continue;
          const [shared, own] = await Promise.all([
            targets.statements.shared.run(sql, params),
            targets.statements.isolated(me, probe.known).run(sql, params),
          ]);
          if (!isFinished(shared) || !isFinished(own)) {
            verdict.unverified = `running the statement it was given: ${unfinishedOn(shared, own)}; SQL ${clip(sql, 400)}`;
            continue;
          }
          const difference = sameExecution(shared, own);
          if (difference) {
            verdict.foreignRows += 1;
            verdict.foreign = `running the statement it was given: ${difference}; SQL ${clip(sql, 400)} params ${clip(JSON.stringify(params), 200)}`;
          }
          stats.get(route.name)!.checked++;
        }
      }
      return verdict;
    }
    if (route.kind === 'dry-run') {
      if (!dryRunIsScoped(response.body, me))
        verdict.unscoped = `a cube or view without a top-level tenant_id equals ["${me}"] (or that OR notSet) in ${clip(JSON.stringify((response.body as { normalizedQueries?: unknown }).normalizedQueries), 600)}`;
      return verdict;
    }
    const sets = rowSets(route.kind, response.body)!;
    const named = sets.flatMap((rows) => rowsNamingAnotherTenant(rows, me));
    if (named.length) {
      verdict.foreignRows += named.length;
      verdict.foreign = `rows of another tenant: ${clip(JSON.stringify(named.slice(0, 3)), 600)}`;
    }
    const wholeRequest = oracleRequest(route, probe)!;
    const whole = await oracle(wholeRequest);
    const wholeSets = classify(route.kind, whole) === 'ok' ? rowSets(route.kind, whole.body) : null;
    if (!wholeSets || wholeSets.length !== sets.length) {
      verdict.unverified = `the oracle (tenant's rows only) answered ${whole.status ?? whole.failure}: ${clip(whole.text, 400)}`;
      return verdict;
    }
    stats.get(route.name)!.checked++;
    const pages = pagesOf(route, response.body);
    for (const [i, rows] of sets.entries()) {
      const wholeRows = wholeSets[i]!;
      if (wholeRows.length >= ORACLE_ROW_CAP) {
        verdict.unverified = `the oracle's answer reached its cap of ${ORACLE_ROW_CAP} rows`;
        continue;
      }
      const { foreign, missing, wrongCount } = compareRows(rows as Row[], wholeRows as Row[], pages[i] ?? null);
      // Rows already counted as naming another tenant are not counted twice.
      const extra = foreign.filter((row) => !named.includes(row));
      if (extra.length) {
        verdict.foreignRows += extra.length;
        verdict.foreign ??= `rows the tenant's own data does not give: ${clip(JSON.stringify(extra.slice(0, 3)), 600)}; its own data gives ${clip(JSON.stringify(wholeRows.slice(0, 3)), 400)}`;
      }
      const totals = totalsOf(response.body, whole.body);
      if (missing || wrongCount || totals) {
        verdict.differs = `query ${i}: ${rows.length} rows, ${missing} of the tenant's own rows missing${totals ? `, ${totals}` : ''}; page ${JSON.stringify(pages[i] ?? null)}, whole answer ${wholeRows.length} rows`;
      }
    }
    return verdict;
  }

  async function runCase(index: number): Promise<void> {
    const probe = generateCase(model, options.tenants, options.seed, index);
    const token = tokenFor(probe.tenant);
    const oracleUrl = targets.oracleUrl(probe.tenant, probe.known);
    const oracleToken = tokenFor(targets.oracleTenant?.(probe.tenant) ?? probe.tenant);
    const oracleAnswers = new Map<string, Promise<ProbeResponse>>();
    const oracle = (request: ProbeRequest) => {
      const key = JSON.stringify(request);
      if (!oracleAnswers.has(key)) oracleAnswers.set(key, send(oracleUrl, request, oracleToken, options.timeoutMs));
      return oracleAnswers.get(key)!;
    };
    for (const route of routes) {
      const request = route.request(probe);
      if (!request) continue;
      const response = await send(targets.url, request, token, options.timeoutMs);
      const outcome: Outcome = classify(route.kind, response);
      const s = stats.get(route.name)!;
      s.queries++;
      s.ms.push(response.ms);
      if (outcome === 'ok') s.ok++;
      else if (outcome === 'refused') {
        s.refused++;
        const reason = refusalReason(response.body);
        s.refusals[reason] = (s.refusals[reason] ?? 0) + 1;
      } else if (outcome === '5xx') {
        s.serverErrors++;
        record(probe, route, '5xx', response, `${response.status}: ${clip(response.text, 600)}`);
      } else if (outcome === 'timeout') {
        s.timeouts++;
        record(probe, route, 'timeout', response, `no answer within ${options.timeoutMs} ms (${response.failure ?? ''})`);
      } else {
        s.bad++;
        record(probe, route, 'bad response', response, `${response.status ?? response.failure}: ${clip(response.text, 600)}`);
      }
      const verdict = await judge(probe, route, request, response, oracle);
      s.foreignRows += verdict.foreignRows;
      if (verdict.foreign) record(probe, route, 'foreign rows', response, verdict.foreign);
      if (verdict.differs) {
        s.differs++;
        record(probe, route, 'differs', response, verdict.differs);
      }
      if (verdict.unscoped) {
        s.unscoped++;
        record(probe, route, 'unscoped', response, verdict.unscoped);
      }
      if (verdict.unverified) {
        s.unverified++;
        record(probe, route, 'unverified', response, verdict.unverified);
      }
    }
  }

  let next = 0;
  let done = 0;
  let stoppedEarly = false;
  const worker = async () => {
    while (next < indexes.length) {
      if (Date.now() - started > options.maxMs) {
        stoppedEarly = true;
        return;
      }
      const index = indexes[next++]!;
      await runCase(index);
      done++;
      options.onProgress?.(done, indexes.length, findingCount);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return {
    seed: options.seed,
    requested: indexes.length,
    ran: done,
    stoppedEarly,
    seconds: (Date.now() - started) / 1000,
    routes: [...stats.values()],
    findings: findings.sort((a, b) => findingKinds.indexOf(a.kind) - findingKinds.indexOf(b.kind) || a.case - b.case),
    findingCount,
  };
}
