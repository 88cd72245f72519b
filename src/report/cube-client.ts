/** A small client of Cube's REST API that waits out "Continue wait" and surfaces Cube's errors. */
export interface CubeMember {
  name: string;
  title: string;
  shortTitle?: string;
  format?: string;
  meta?: unknown;
}

export interface CubeMetaCube {
  name: string;
  type?: 'cube' | 'view';
  measures: CubeMember[];
  dimensions: CubeMember[];
}

export interface LoadResult {
  data: Record<string, unknown>[];
  usedPreAggregations: Record<string, unknown>;
}

export class CubeRequestError extends Error {
  override name = 'CubeRequestError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class CubeClient {
  constructor(
    readonly apiUrl: string,
    private readonly token: string,
    private readonly maxWaitMs = 120_000,
  ) {}

  private async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const started = Date.now();
    for (;;) {
      const response = await fetch(`${this.apiUrl}${path}`, {
        ...init,
        headers: { Authorization: this.token, 'Content-Type': 'application/json', ...init.headers },
      });
      const body = (await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }))) as T & { error?: string };
      if (body.error === 'Continue wait') {
        if (Date.now() - started > this.maxWaitMs) throw new CubeRequestError(504, `Cube did not answer ${path} within ${this.maxWaitMs / 1000} s`);
        continue;
      }
      if (!response.ok || body.error) throw new CubeRequestError(response.status, `Cube ${response.status}: ${body.error ?? response.statusText}`);
      return body;
    }
  }

  async meta(): Promise<CubeMetaCube[]> {
    return (await this.request<{ cubes: CubeMetaCube[] }>('/meta')).cubes;
  }

  async load(query: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    return (await this.loadResult(query)).data;
  }

  /** The rows, and the rollup tables Cube read them from (empty: the raw tables). */
  async loadResult(query: Record<string, unknown>): Promise<LoadResult> {
    const body = await this.request<Partial<LoadResult>>('/load', { method: 'POST', body: JSON.stringify({ query }) });
    return { data: body.data ?? [], usedPreAggregations: body.usedPreAggregations ?? {} };
  }

  /** Cube's SQL for a query, with the column alias of each member. */
  async sqlWithAliases(query: Record<string, unknown>): Promise<{ sql: [string, unknown[]]; aliasNameToMember: Record<string, string> }> {
    const body = await this.request<{ sql: { sql: [string, unknown[]]; aliasNameToMember: Record<string, string> } }>(
      `/sql?query=${encodeURIComponent(JSON.stringify(query))}`,
    );
    return body.sql;
  }
}
