import { loadResponseSchema, type CubeQuery } from '@engagement/contract';
import { inject } from 'vitest';
import { callCube, type CubeSend } from '../cubeApi';

/** The worked-example stack's tenant token, minted by the root (no signing secret here). */
export function tokenFor(tenant: string): string {
  const token = inject('stack').tokens[tenant];
  if (!token) throw new Error(`the examples stack minted no token for tenant ${tenant}`);
  return token;
}

/** Cube's REST API straight from Node, without Grafana's data proxy. */
export function directSend(token: string): CubeSend {
  const apiUrl = `${inject('stack').cubeUrl}/cubejs-api/v1`;
  return async (endpoint, query) => {
    const url = endpoint === 'meta' ? `${apiUrl}/meta` : `${apiUrl}/${endpoint}?query=${encodeURIComponent(JSON.stringify(query ?? {}))}`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, data: await response.json().catch(() => null) };
  };
}

/** The rows of one /v1/load for a tenant, polled through "Continue wait" like the data source. */
export async function loadRows(tenant: string, query: CubeQuery): Promise<Array<Record<string, unknown>>> {
  return loadResponseSchema.parse(await callCube(directSend(tokenFor(tenant)), 'load', query)).data;
}
