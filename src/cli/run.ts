import { colour as pc } from './colour.js';
import { ConfigError } from '../config.js';
import { guardProcess } from '../runtime/crash-guard.js';
import { shutdown } from '../runtime/shutdown.js';
import { StartError } from '../runtime/errors.js';

/** Raised for bad flags or arguments: exits with status 2 like a config error. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An expected failure the message explains in full (a refused input file): exit status 1, no stack. */
export class CommandFailed extends Error {
  override name = 'CommandFailed';
}

export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

/** Prints an error for a person and returns the exit status it deserves. */
export function reportError(error: unknown): number {
  if (error instanceof ConfigError || error instanceof UsageError) {
    console.error(pc.red(error.message));
    return exitCodes.usage;
  }
  if (error instanceof StartError || error instanceof CommandFailed) {
    console.error(pc.red(error.message));
    return exitCodes.failure;
  }
  console.error(pc.red(error instanceof Error ? (error.stack ?? error.message) : String(error)));
  return exitCodes.failure;
}

/**
 * Runs a command body, turning failures into a message and an exit status. On a failure it
 * stops whatever the command started (Cube, the embedded PostgreSQL) and exits explicitly, so
 * a pool or half-started server left open cannot keep the process alive. SIGINT, SIGTERM and
 * SIGHUP stop the same servers (src/runtime/shutdown.ts).
 */
export async function runCommand(body: () => Promise<void>): Promise<void> {
  guardProcess();
  try {
    await body();
  } catch (error) {
    await shutdown(reportError(error));
  }
}
