import {
  loadResponseSchema,
  metaResponseSchema,
  sqlResponseSchema,
  type CubeQuery,
  type LoadResponse,
  type MetaCube,
  type SqlResponse,
} from '@engagement/contract';
import type { z } from 'zod';

/**
 * A small client of Cube's REST API for the runtime, the bench and the tests: it waits out
 * "Continue wait", surfaces Cube's errors and checks each answer against the contract's schema,
 * so a Cube that answers in another shape fails here, naming the field, not later on a cast.
 */

export type LoadResult = Pick<LoadResponse, 'data' | 'usedPreAggregations'>;

export class CubeRequestError extends Error {
  override name = 'CubeRequestError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface CubeClientOptions {
  /** Give up after this long; Cube keeps working and a later request finds the result cached. */
  maxWaitMs?: number;
  /**
   * Pause between "Continue wait" answers, as the plugin's data source does. Cube already holds
   * each request for its continueWaitTimeout (5 s) before saying so; the pause keeps a Cube that
   * answers at once (a failing queue) from being asked again in a tight loop.
   */
  pollIntervalMs?: number;
}

const CONTINUE_WAIT = 'Continue wait';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class CubeClient {
  private readonly maxWaitMs: number;
  private readonly pollIntervalMs: number;

  constructor(
    readonly apiUrl: string,
    private readonly token: string,
    options: CubeClientOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 120_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
  }

  private async request<S extends z.ZodType>(schema: S, path: string, init: RequestInit = {}): Promise<z.infer<S>> {
    const started = Date.now();
    for (;;) {
      const response = await fetch(`${this.apiUrl}${path}`, {
        ...init,
        headers: { Authorization: this.token, 'Content-Type': 'application/json', ...init.headers },
      });
      const body: unknown = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
      const error = errorOf(body);
      if (error === CONTINUE_WAIT) {
        if (Date.now() - started > this.maxWaitMs) throw new CubeRequestError(504, `Cube did not answer ${path} within ${this.maxWaitMs / 1000} s`);
        await delay(this.pollIntervalMs);
        continue;
      }
      if (!response.ok || error) throw new CubeRequestError(response.status, `Cube ${response.status}: ${error ?? response.statusText}`);
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new CubeRequestError(502, `Unexpected answer from Cube to ${path.split('?')[0]}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      }
      return parsed.data;
    }
  }

  async meta(): Promise<MetaCube[]> {
    return (await this.request(metaResponseSchema, '/meta')).cubes;
  }

  async load(query: CubeQuery): Promise<Record<string, unknown>[]> {
    return (await this.loadResult(query)).data;
  }

  /** The rows, and the rollup tables Cube read them from (empty: the raw tables). */
  async loadResult(query: CubeQuery): Promise<LoadResult> {
    const { data, usedPreAggregations } = await this.request(loadResponseSchema, '/load', { method: 'POST', body: JSON.stringify({ query }) });
    return { data, usedPreAggregations };
  }

  /** Cube's SQL for a query, with the column alias of each member. */
  async sqlWithAliases(query: CubeQuery): Promise<SqlResponse['sql']> {
    return (await this.request(sqlResponseSchema, `/sql?query=${encodeURIComponent(JSON.stringify(query))}`)).sql;
  }
}

function errorOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || !('error' in body)) return undefined;
  return typeof body.error === 'string' ? body.error : JSON.stringify(body.error);
}
