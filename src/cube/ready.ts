/**
 * Polls a Cube server's health probe until it answers 200. `/livez` says the HTTP API is
 * serving; `/readyz` also says the warehouse answers (src/cube/health.ts).
 */
export async function waitUntilReady(
  url: string,
  options: { probe?: '/readyz' | '/livez'; timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const { probe = '/readyz', timeoutMs = 30_000, intervalMs = 100 } = options;
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}${probe}`, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      const body = await response.text();
      if (response.ok) return;
      last = `${response.status} ${body}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`Cube at ${url} was not ready after ${timeoutMs} ms (${probe}: ${last}).`);
}
