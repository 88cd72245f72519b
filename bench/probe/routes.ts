import type { ProbeCase, Query } from './generate.js';
import type { ProbeRequest } from './http.js';

export const routeNames = ['load GET', 'load POST', 'subscribe', 'multi', 'sql', 'dry-run', 'graphql'] as const;
export type RouteName = (typeof routeNames)[number];

/** What a route's answer holds, which decides how it is checked. */
export type RouteKind = 'rows' | 'multi' | 'sql' | 'dry-run' | 'graphql';

export interface Route {
  name: RouteName;
  kind: RouteKind;
  /** The request for a case, or null when the case has no form for this route. */
  request(probe: ProbeCase): ProbeRequest | null;
}

const API = '/cubejs-api/v1';
const inUrl = (query: unknown) => encodeURIComponent(JSON.stringify(query));

export const routes: readonly Route[] = [
  { name: 'load GET', kind: 'rows', request: (p) => ({ method: 'GET', path: `${API}/load?query=${inUrl(p.query)}` }) },
  { name: 'load POST', kind: 'rows', request: (p) => ({ method: 'POST', path: `${API}/load`, body: { query: p.query } }) },
  // Cube 0.35 serves /subscribe over plain HTTP as a one-shot load (no WebSocket here).
  { name: 'subscribe', kind: 'rows', request: (p) => ({ method: 'GET', path: `${API}/subscribe?query=${inUrl(p.query)}` }) },
  { name: 'multi', kind: 'multi', request: (p) => ({ method: 'POST', path: `${API}/load`, body: { query: p.multi, queryType: 'multi' } }) },
  { name: 'sql', kind: 'sql', request: (p) => ({ method: 'GET', path: `${API}/sql?query=${inUrl(p.query)}` }) },
  { name: 'dry-run', kind: 'dry-run', request: (p) => ({ method: 'POST', path: `${API}/dry-run`, body: { query: p.query } }) },
  {
    name: 'graphql',
    kind: 'graphql',
    request: (p) => (p.graphql === null ? null : { method: 'POST', path: '/cubejs-api/graphql', body: { query: p.graphql } }),
  },
];

/** The most rows the oracle asks for; an answer this long cannot be checked completely. */
export const ORACLE_ROW_CAP = 50_000;

/** The query without its page: the oracle's full answer that a paged answer must be part of. */
export function unpaged(query: Query): Query {
  const { limit: _limit, offset: _offset, ...rest } = query;
  return { ...rest, limit: ORACLE_ROW_CAP };
}

/** The request the oracle answers for a route's request: the same question, whole. */
export function oracleRequest(route: Route, probe: ProbeCase): ProbeRequest | null {
  switch (route.kind) {
    case 'rows':
      return { method: 'POST', path: `${API}/load`, body: { query: unpaged(probe.query) } };
    case 'multi':
      return {
        method: 'POST',
        path: `${API}/load`,
        body: { query: Array.isArray(probe.multi) ? probe.multi.map(unpaged) : unpaged(probe.multi), queryType: 'multi' },
      };
    case 'graphql':
      return route.request(probe);
    default:
      return null;
  }
}
