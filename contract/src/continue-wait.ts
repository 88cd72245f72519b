/**
 * Cube answers a query that is still running or queued with HTTP 200 and
 * `{"error": "Continue wait"}`; the client asks again. The one polling loop of the plugin's
 * data source and the runtime's client, over whatever transport each uses.
 */

export interface CubeAnswer {
  status: number;
  data: unknown;
}

export interface PollOptions {
  /** Wait between "Continue wait" answers. */
  intervalMs?: number;
  /** Give up after this long; Cube itself keeps working and a later request finds the result cached. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const CONTINUE_WAIT = 'Continue wait';

export class ContinueWaitTimeout extends Error {
  override name = 'ContinueWaitTimeout';
  constructor(readonly timeoutMs: number) {
    super(`Cube was still working after ${Math.round(timeoutMs / 1000)} s`);
  }
}

/** Cube's error text in an answer: `{error: "…"}`, `{error: {message}}` or `{message}`. */
export function cubeErrorText(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const { error, message } = data as { error?: unknown; message?: unknown };
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'message' in error) return String(error.message);
  return typeof message === 'string' ? message : undefined;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Asks until Cube says something other than "Continue wait"; throws ContinueWaitTimeout after `timeoutMs`. */
export async function untilAnswered<A extends CubeAnswer>(ask: () => Promise<A>, options: PollOptions = {}): Promise<A> {
  const { intervalMs = 500, timeoutMs = 120_000, sleep = delay, now = Date.now } = options;
  const started = now();
  for (;;) {
    const answer = await ask();
    if (answer.status !== 200 || cubeErrorText(answer.data) !== CONTINUE_WAIT) return answer;
    if (now() - started >= timeoutMs) throw new ContinueWaitTimeout(timeoutMs);
    await sleep(intervalMs);
  }
}
