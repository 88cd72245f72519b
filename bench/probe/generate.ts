import { dateOperators, filterOperators } from '@engagement/contract';
import { Prng } from '../../seeds/prng.js';
import type { ProbeCube, ProbeModel } from './model.js';
import * as v from './values.js';

export type Query = Record<string, unknown>;

/** One fuzzed query and the forms the other routes send it in. */
export interface ProbeCase {
  index: number;
  /** The tenant the token names; `known` says whether it exists in the warehouse. */
  tenant: string;
  known: boolean;
  query: Query;
  /** What the multi-query route sends: an array of two queries, or the query itself when it has compareDateRange. */
  multi: Query | Query[];
  /** The query's cube as a GraphQL document (or null when it has no GraphQL form). */
  graphql: string | null;
}

const GENERATOR_STREAM = 0x9e0be;

type Pick = <T>(items: readonly T[]) => T;

function tools(prng: Prng) {
  const pick: Pick = (items) => items[prng.int(0, items.length)]!;
  const some = <T>(items: readonly T[], max: number): T[] => {
    const count = prng.int(0, Math.min(max, items.length) + 1);
    return [...new Set(Array.from({ length: count }, () => pick(items)))];
  };
  return { pick, some, chance: (p: number) => prng.chance(p), int: (a: number, b: number) => prng.int(a, b) };
}
type Tools = ReturnType<typeof tools>;

const tenantDimension = (cube: string) => `${cube}.tenant_id`;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * A granularity with a date range of at most about 200 periods. A rolling measure gets a row per
 * period and dimension value (a day of minutes by customer: 1,440 × 100 rows), so a longer one
 * would push the oracle's whole answer past ORACLE_ROW_CAP and leave the case unverified.
 */
function timeWindow(t: Tools): { granularity?: string; dateRange?: unknown } {
  const day = Date.UTC(2025, 9, 1) + t.int(0, 400) * 86_400_000;
  const kind = t.int(0, 100);
  if (kind < 4) return { granularity: 'second', dateRange: [`${isoDay(new Date(day))}T10:00:00`, `${isoDay(new Date(day))}T10:01:59`] };
  if (kind < 8) return { granularity: 'minute', dateRange: [`${isoDay(new Date(day))}T10:00:00`, `${isoDay(new Date(day))}T10:59:59`] };
  if (kind < 14)
    return {
      granularity: 'hour',
      dateRange: t.chance(0.5)
        ? t.pick(['today', 'yesterday', 'last 7 days'])
        : [isoDay(new Date(day)), isoDay(new Date(day + t.int(0, 7) * 86_400_000))],
    };
  if (kind < 20) return { dateRange: t.pick(v.hostileRanges) };
  const granularity = t.pick([undefined, 'day', 'week', 'month', 'month', 'quarter', 'year']);
  const dateRange = t.pick([
    () => undefined,
    () => t.pick(v.relativeRanges),
    () => [isoDay(new Date(day)), isoDay(new Date(day + t.int(0, 500) * 86_400_000))],
    () => [isoDay(new Date(day))],
    () => [t.pick(v.plausibleDates), t.pick(v.plausibleDates)],
  ])();
  return { ...(granularity ? { granularity } : {}), ...(dateRange === undefined ? {} : { dateRange }) };
}

function valuesFor(type: string | undefined, t: Tools, tenants: readonly string[]): unknown[] {
  const one = (): unknown => {
    if (type === 'number') return t.chance(0.7) ? t.pick([0, 1, 2, 5, 10, 50, 100, 3.5, -1]) : t.pick(v.hostileNumbers);
    if (type === 'boolean') return t.chance(0.7) ? t.pick([true, false]) : t.pick(v.hostileBooleans);
    if (type === 'time') return t.chance(0.7) ? t.pick(v.plausibleDates) : t.pick(v.hostileDates);
    return t.pick([() => t.pick(v.plausibleStrings), () => t.pick(v.hostileStrings), () => t.pick(tenants)])();
  };
  if (t.chance(0.03)) return Array.from({ length: t.int(50, 400) }, one);
  return Array.from({ length: t.int(1, 4) }, one);
}

const TIME_OPERATORS = [...dateOperators, 'set', 'notSet'];

interface Context {
  t: Tools;
  cube: ProbeCube;
  model: ProbeModel;
  tenants: readonly string[];
  me: string;
}

function memberFor(c: Context): { member: string; type: string | undefined } {
  const { t, cube, model } = c;
  if (t.chance(0.01)) return { member: t.pick(v.bogusMembers), type: 'string' };
  const from = t.chance(0.1) ? t.pick(model) : cube;
  const members = [...from.dimensions, ...from.timeDimensions, ...from.measures];
  if (members.length === 0) return { member: tenantDimension(from.name), type: 'string' };
  const member = t.pick(members);
  return { member, type: from.types.get(member) };
}

/** A filter on the tenant dimension aimed at another tenant, or at widening past one's own. */
function tenantFilter(c: Context): Query {
  const { t, cube, tenants, me } = c;
  const others = tenants.filter((x) => x !== me);
  const target = t.pick(others.length ? others : tenants);
  const operator = t.pick(['equals', 'notEquals', 'in', 'notIn', 'contains', 'startsWith', 'endsWith', 'set', 'notSet', 'gt', 'lt']);
  const values =
    operator === 'set' || operator === 'notSet' ? undefined : t.pick([[target], [me], [me, target], [...tenants], ['%'], ["' OR '1'='1"]]);
  const filter = { member: tenantDimension(t.chance(0.85) ? cube.name : t.pick(c.model).name), operator, ...(values ? { values } : {}) };
  return t.chance(0.4) ? { or: [filter, leafFilter(c)] } : filter;
}

function leafFilter(c: Context): Query {
  const { t } = c;
  if (t.chance(0.15)) return tenantFilter(c);
  const { member, type } = memberFor(c);
  const operator = t.chance(0.01)
    ? t.pick(['like', 'regex', '', 'EQUALS'])
    : type === 'time' && t.chance(0.7)
      ? t.pick(TIME_OPERATORS)
      : t.pick(filterOperators);
  const values =
    operator === 'set' || operator === 'notSet'
      ? t.chance(0.1)
        ? ['x']
        : undefined
      : operator.includes('Date') || operator === 'onTheDate'
        ? t.chance(0.8)
          ? [t.pick(v.plausibleDates), t.pick(v.plausibleDates)].slice(0, operator.endsWith('Range') ? 2 : 1)
          : valuesFor('time', t, c.tenants)
        : valuesFor(type, t, c.tenants);
  return { [t.chance(0.1) ? 'dimension' : 'member']: member, operator, ...(values ? { values } : {}) };
}

function filterTree(c: Context, depth: number): Query {
  const { t } = c;
  if (depth >= 3 || t.chance(0.75)) return leafFilter(c);
  return { [t.pick(['and', 'or'])]: Array.from({ length: t.int(1, 4) }, () => filterTree(c, depth + 1)) };
}

function orderFor(c: Context, members: string[]): unknown {
  const { t } = c;
  const direction = () => (t.chance(0.03) ? 'sideways' : t.pick(['asc', 'desc']));
  const keys = t.some(t.chance(0.05) ? [...members, t.pick(v.bogusMembers)] : members, 3);
  if (t.chance(0.5)) return Object.fromEntries(keys.map((k) => [k, direction()]));
  return keys.map((k) => [k, direction()]);
}

/** A random query on one cube or view, drawing members from `/v1/meta`. */
function queryFor(c: Context, forcedGranularity?: string | null): Query {
  const { t, cube, model } = c;
  // A view's measures may come from unrelated fact tables, which Cube joins by tenant: slow even on
  // small data (README, The model), and a slow query holds one of Cube's two queue slots for minutes.
  const measures = cube.measures.length && t.chance(0.85) ? t.some(cube.measures, cube.isView ? 1 : 3).filter(Boolean) : [];
  if (measures.length === 0 && cube.measures.length && t.chance(0.5)) measures.push(t.pick(cube.measures));
  const dimensions = t.some(
    cube.dimensions.filter((d) => d !== tenantDimension(cube.name)),
    2,
  );
  if (t.chance(0.4)) dimensions.unshift(tenantDimension(cube.name));
  if (t.chance(0.03)) {
    const other = t.pick(model);
    const extra = t.pick([...other.measures, ...other.dimensions]);
    if (extra) (other.types.get(extra) === 'number' && other.measures.includes(extra) ? measures : dimensions).push(extra);
  }
  const query: Query = {};
  if (measures.length) query.measures = measures;
  if (dimensions.length) query.dimensions = dimensions;
  const time = cube.timeDimensions.length ? t.pick(cube.timeDimensions) : undefined;
  if (time && (forcedGranularity !== undefined || t.chance(0.6))) {
    const window = timeWindow(t);
    if (forcedGranularity !== undefined) {
      window.granularity = forcedGranularity ?? undefined;
      if (forcedGranularity === null) delete window.granularity;
      // A fine granularity keeps a short range, whatever range was drawn.
      const short = {
        second: ['2026-03-01T10:00:00', '2026-03-01T10:01:59'],
        minute: ['2026-03-01T10:00:00', '2026-03-01T10:59:59'],
        hour: ['2026-03-01', '2026-03-03'],
      }[forcedGranularity ?? ''];
      if (short) window.dateRange = short;
    }
    // A multi-query partner (forcedGranularity given) is one query, never a comparison of ranges.
    if (forcedGranularity === undefined && t.chance(0.06)) {
      delete window.dateRange;
      query.timeDimensions = [
        {
          dimension: time,
          granularity: t.pick(['month', 'quarter', 'year']),
          compareDateRange: [t.pick(v.relativeRanges), ['2026-01-01', '2026-03-31']],
        },
      ];
    } else {
      query.timeDimensions = [{ dimension: time, ...window }];
    }
  }
  if (cube.segments.length && t.chance(0.3)) query.segments = t.some(cube.segments, 2);
  if (t.chance(0.02)) query.segments = [t.pick(v.bogusMembers)];
  if (t.chance(0.5)) query.filters = Array.from({ length: t.int(1, 3) }, () => filterTree(c, 0));
  if (t.chance(0.25)) query.filters = [...((query.filters as Query[]) ?? []), tenantFilter(c)];
  const named = [...measures, ...dimensions, ...(time && query.timeDimensions ? [time] : [])];
  if (named.length && t.chance(0.5)) query.order = orderFor(c, named);
  if (t.chance(0.4)) query.limit = t.chance(0.1) ? t.pick([0, 50_001, 1e9, -1, 2.5, '10', 1e308]) : t.int(1, 60);
  if (t.chance(0.15)) query.offset = t.chance(0.1) ? t.pick([-5, 1e12, '3']) : t.int(0, 20);
  if (t.chance(0.08)) query.ungrouped = true;
  if (t.chance(0.1)) query.total = true;
  if (t.chance(0.03)) query.renewQuery = true;
  if (t.chance(0.04)) query.responseFormat = 'compact';
  const tz = t.int(0, 100);
  if (tz < 8) query.timezone = t.pick(v.validTimezones);
  else if (tz < 10) query.timezone = t.pick(v.invalidTimezones);
  else if (tz < 12) query.timezone = t.pick(v.timezoneInjections);
  if (t.chance(0.01)) query.nosuchField = true;
  return query;
}

const quote = (value: unknown) => JSON.stringify(value);

/** The same kind of question through Cube's GraphQL API: one cube, its members, a where on strings. */
function graphqlFor(c: Context, query: Query): string | null {
  const { t, cube, tenants, me } = c;
  if (cube.measures.length + cube.dimensions.length === 0) return null;
  const short = (member: string) => member.slice(member.indexOf('.') + 1);
  const own = (members: unknown) => ((members as string[] | undefined) ?? []).filter((m) => m.startsWith(`${cube.name}.`));
  const fields = [...own(query.measures), ...own(query.dimensions)].map(short);
  const td = (query.timeDimensions as { dimension: string; granularity?: string }[] | undefined)?.[0];
  if (td?.granularity && td.dimension.startsWith(`${cube.name}.`)) fields.push(`${short(td.dimension)} { ${td.granularity} }`);
  if (fields.length === 0) fields.push(short(cube.measures[0] ?? tenantDimension(cube.name)));
  if (t.chance(0.5)) fields.push('tenant_id');
  const strings = cube.dimensions.filter((d) => cube.types.get(d) === 'string');
  const leaf = () => {
    const member = t.chance(0.5) ? 'tenant_id' : short(t.pick(strings));
    const operator = t.pick(['equals', 'notEquals', 'in', 'notIn', 'contains', 'set']);
    const value =
      operator === 'set'
        ? 'true'
        : operator === 'in' || operator === 'notIn'
          ? quote([t.pick(tenants), me, t.pick(v.hostileStrings)])
          : quote(t.pick([...tenants, ...v.hostileStrings]));
    return `{ ${cube.name}: { ${member}: { ${operator}: ${value} } } }`;
  };
  const where = t.pick([
    '',
    `where: ${leaf()}`,
    `where: { OR: [${leaf()}, ${leaf()}] }`,
    `where: { AND: [${leaf()}, { OR: [${leaf()}, ${leaf()}] }] }`,
  ]);
  const timezone = typeof query.timezone === 'string' && t.chance(0.5) ? `timezone: ${quote(query.timezone)}` : '';
  const args = [where, timezone].filter(Boolean).join(', ');
  return `query { cube${args ? `(${args})` : ''} { ${cube.name} { ${[...new Set(fields)].join(' ')} } } }`;
}

function withMonths(query: Query, cube: ProbeCube): Query {
  const [first, ...rest] = (query.timeDimensions as Query[] | undefined) ?? [{ dimension: cube.timeDimensions[0], dateRange: 'last year' }];
  return { ...query, timeDimensions: [{ ...first, granularity: 'month', dateRange: 'last year' }, ...rest] };
}

/**
 * Case `index` of the run with `seed`: the same case whatever the count, order or concurrency,
 * because each index has its own stream of the seeded generator.
 */
export function generateCase(model: ProbeModel, tenants: readonly string[], seed: number, index: number): ProbeCase {
  const prng = new Prng(seed).reseed(GENERATOR_STREAM, index, 0);
  const t = tools(prng);
  const unknown = t.chance(0.08);
  const me = unknown ? t.pick(v.unknownTenants(tenants)) : t.pick(tenants);
  const cube = t.pick(model);
  const c: Context = { t, cube, model, tenants, me };
  const query = t.chance(0.005) ? { ...v.issueInjectionQuery } : queryFor(c);
  const td = (query.timeDimensions as { granularity?: string; compareDateRange?: unknown }[] | undefined)?.[0];
  let multi: Query | Query[];
  if (td?.compareDateRange) multi = query;
  else {
    // Cube blends only queries with one granularity, so both get the first one's (month if it has none).
    const base = td?.granularity || !cube.timeDimensions.length ? query : withMonths(query, cube);
    const partnerCube = t.pick(model.filter((m) => m.timeDimensions.length));
    const granularity = (base.timeDimensions as { granularity?: string }[] | undefined)?.[0]?.granularity ?? null;
    multi = [base, queryFor({ ...c, cube: partnerCube }, granularity)];
  }
  return { index, tenant: me, known: !unknown, query, multi, graphql: graphqlFor(c, query) };
}
