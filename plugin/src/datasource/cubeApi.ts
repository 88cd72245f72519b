import type { CubeQuery } from './types';

export type CubeEndpoint = 'meta' | 'load' | 'sql';

export interface CubeHttpResponse {
  status: number;
  data: unknown;
}

/** One HTTP exchange with Cube's REST API; it resolves for every status, never throws on 4xx. */
export type CubeSend = (endpoint: CubeEndpoint, query?: CubeQuery) => Promise<CubeHttpResponse>;

export class CubeError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'CubeError';
  }
}

export interface PollOptions {
  /** Wait between "Continue wait" answers. */
  intervalMs?: number;
  /** Give up after this long; Cube itself keeps working and a reload finds the result cached. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const CONTINUE_WAIT = 'Continue wait';

/**
 * Calls a Cube endpoint, asking again while Cube answers "Continue wait" (HTTP 200, sent while
 * a query is still running or queued), and turns Cube's `{error}` answers into a CubeError
 * whose message is Cube's own text, which Grafana then shows as the panel's error.
 */
export async function callCube(send: CubeSend, endpoint: CubeEndpoint, query?: CubeQuery, options: PollOptions = {}): Promise<unknown> {
  const { intervalMs = 500, timeoutMs = 120_000, sleep = delay, now = Date.now } = options;
  const started = now();
  for (;;) {
    const response = await send(endpoint, query);
    const error = errorText(response.data);
    if (response.status === 200 && error === CONTINUE_WAIT) {
      if (now() - started >= timeoutMs) {
        throw new CubeError(`Cube is still working on this query after ${Math.round(timeoutMs / 1000)} s; refresh to pick up the result.`, 200);
      }
      await sleep(intervalMs);
      continue;
    }
    if (response.status >= 400 || error) throw new CubeError(describeFailure(response.status, error), response.status);
    return response.data;
  }
}

function errorText(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const { error, message } = data as { error?: unknown; message?: unknown };
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'message' in error) return String(error.message);
  return typeof message === 'string' ? message : undefined;
}

function describeFailure(status: number, error: string | undefined): string {
  if (status === 401 || status === 403) return `Cube rejected the token (HTTP ${status})${error ? `: ${error}` : ''}`;
  if (status === 502 || status === 504) return `Cannot reach Cube (HTTP ${status} from Grafana's data proxy)${error ? `: ${error}` : ''}`;
  return error ?? `Cube answered HTTP ${status}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
