export interface ProbeRequest {
  method: 'GET' | 'POST';
  /** Path under the server's root, e.g. `/cubejs-api/v1/load?query=…`. */
  path: string;
  body?: unknown;
}

export interface ProbeResponse {
  /** null when no HTTP answer came (timeout or a dropped connection). */
  status: number | null;
  body: unknown;
  text: string;
  ms: number;
  timedOut: boolean;
  /** Why no answer came, when none did. */
  failure?: string;
}

/** Cube's "ask again" answer: `{ error: 'Continue wait' }`, over GraphQL a 500 with that error. */
function stillRunning(body: unknown): boolean {
  const b = body as { error?: unknown; errors?: { message?: unknown }[] } | null;
  return (
    b?.error === 'Continue wait' ||
    (Array.isArray(b?.errors) && b.errors.length > 0 && b.errors.every((e) => e?.message === 'Continue wait'))
  );
}

/**
 * Sends one request as a client would, asking again while Cube answers `Continue wait`
 * (its way of saying a query is still running), until `timeoutMs` has passed in all.
 */
export async function send(baseUrl: string, request: ProbeRequest, token: string, timeoutMs: number): Promise<ProbeResponse> {
  const started = performance.now();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${baseUrl}${request.path}`, {
        method: request.method,
        headers: { Authorization: `Bearer ${token}`, ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return {
        status: null,
        body: null,
        text: '',
        ms: performance.now() - started,
        timedOut,
        failure: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      };
    }
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: the checker reports it where JSON was due.
    }
    if (!stillRunning(body)) {
      return { status: response.status, body, text, ms: performance.now() - started, timedOut: false };
    }
    if (Date.now() >= deadline)
      return {
        status: null,
        body,
        text,
        ms: performance.now() - started,
        timedOut: true,
        failure: 'still "Continue wait" at the deadline',
      };
  }
}
