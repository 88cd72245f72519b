import {
  ContinueWaitTimeout,
  cubeErrorText,
  loadResponseSchema,
  metaResponseSchema,
  sqlResponseSchema,
  type CubeQuery,
  type LoadResponse,
  type MetaCube,
  type SqlResponse,
  untilAnswered,
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
  constructor(
    readonly status: number,
    message: string,
  ) {
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
    const ask = async () => {
      const response = await fetch(`${this.apiUrl}${path}`, {
        ...init,
        headers: { Authorization: this.token, 'Content-Type': 'application/json', ...init.headers },
      });
      const data: unknown = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
      return { status: response.status, statusText: response.statusText, data };
    };
    let answer: Awaited<ReturnType<typeof ask>>;
    try {
      answer = await untilAnswered(ask, { intervalMs: this.pollIntervalMs, timeoutMs: this.maxWaitMs });
    } catch (error) {
      if (!(error instanceof ContinueWaitTimeout)) throw error;
      throw new CubeRequestError(504, `Cube did not answer ${path} within ${this.maxWaitMs / 1000} s`);
    }
    const error = cubeErrorText(answer.data);
    if (answer.status >= 400 || error) throw new CubeRequestError(answer.status, `Cube ${answer.status}: ${error ?? answer.statusText}`);
    const parsed = schema.safeParse(answer.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CubeRequestError(
        502,
        `Unexpected answer from Cube to ${path.split('?')[0]}: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      );
    }
    return parsed.data;
  }

  async meta(): Promise<MetaCube[]> {
    return (await this.request(metaResponseSchema, '/meta')).cubes;
  }

  async load(query: CubeQuery): Promise<Record<string, unknown>[]> {
    return (await this.loadResult(query)).data;
  }

  /** The rows, and the rollup tables Cube read them from (empty: the raw tables). */
  async loadResult(query: CubeQuery): Promise<LoadResult> {
    const { data, usedPreAggregations } = await this.request(loadResponseSchema, '/load', {
      method: 'POST',
      body: JSON.stringify({ query }),
    });
    return { data, usedPreAggregations };
  }

  /** Cube's SQL for a query, with the column alias of each member. */
  async sqlWithAliases(query: CubeQuery): Promise<SqlResponse['sql']> {
    return (await this.request(sqlResponseSchema, `/sql?query=${encodeURIComponent(JSON.stringify(query))}`)).sql;
  }
}
