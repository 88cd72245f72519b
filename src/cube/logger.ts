export type CubeLogSink = (level: string, message: string) => void;

// Error events that a client caused (a bad query or token): worth an info line, not an error.
const CLIENT_ERROR_TYPES = new Set(['User Error', 'UserError', 'Unauthorized', 'Forbidden', 'Continue wait']);

/** Prints warnings and errors to stderr: Cube's log level warn. */
export const defaultSink: CubeLogSink = (level, message) => {
  if (level === 'error' || level === 'warn') console.error(`[cube] ${level}: ${message}`);
};

/**
 * Adapts Cube's logger calls `(event, params)` to `(level, message)`. Cube marks problems with
 * `params.error` or `params.warning`; everything else is request tracing. Only the event name and
 * that text are passed on: params can hold tokens and security contexts.
 */
export function cubeLogger(sink: CubeLogSink) {
  return (event: string, params: Record<string, unknown> = {}): void => {
    const { error, warning } = params;
    if (error !== undefined) {
      // The gateway's auth failures log the token itself; they are identified by carrying one.
      const clientCaused = CLIENT_ERROR_TYPES.has(event) || 'token' in params;
      // A client's mistake needs no stack trace; a server fault keeps it.
      const text = clientCaused ? (String(error).split('\n')[0] ?? '') : String(error);
      // Auth failures are logged with their message as the event name; say it once.
      sink(clientCaused ? 'info' : 'error', text.includes(event) ? text : `${event}: ${text}`);
    } else if (warning !== undefined) {
      sink('warn', `${event}: ${String(warning)}`);
    } else {
      sink('debug', event);
    }
  };
}
