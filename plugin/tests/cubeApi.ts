import { ContinueWaitTimeout, cubeErrorText, untilAnswered, type CubeAnswer, type CubeQuery, type PollOptions } from '@engagement/contract';

export type CubeEndpoint = 'meta' | 'load' | 'sql';

export type CubeHttpResponse = CubeAnswer;

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

// The tests' own Cube client: the live tests run the backend's pipeline in TypeScript with it
// (the browser never calls Cube; the Go backend does).

/**
 * Calls a Cube endpoint, asking again while Cube answers "Continue wait" (the contract's
 * untilAnswered), and turns Cube's `{error}` answers into a CubeError whose message is Cube's
 * own text, which Grafana then shows as the panel's error.
 */
export async function callCube(send: CubeSend, endpoint: CubeEndpoint, query?: CubeQuery, options: PollOptions = {}): Promise<unknown> {
  let response: CubeHttpResponse;
  try {
    response = await untilAnswered(() => send(endpoint, query), options);
  } catch (error) {
    if (!(error instanceof ContinueWaitTimeout)) throw error;
    throw new CubeError(
      `Cube is still working on this query after ${Math.round(error.timeoutMs / 1000)} s; refresh to pick up the result.`,
      200,
    );
  }
  const error = cubeErrorText(response.data);
  if (response.status >= 400 || error) throw new CubeError(describeFailure(response.status, error), response.status);
  return response.data;
}

function describeFailure(status: number, error: string | undefined): string {
  if (status === 401 || status === 403) return `Cube rejected the token (HTTP ${status})${error ? `: ${error}` : ''}`;
  if (status === 502 || status === 504) return `Cannot reach Cube (HTTP ${status} from Grafana's data proxy)${error ? `: ${error}` : ''}`;
  return error ?? `Cube answered HTTP ${status}`;
}
