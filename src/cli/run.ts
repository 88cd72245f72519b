import { colour as pc } from './colour.js';
import { ConfigError } from '../config.js';
import { WarehouseStartError } from '../warehouse/embedded.js';

/** Raised for bad flags or arguments: exits with status 2 like a config error. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

/** Prints an error for a person and returns the exit status it deserves. */
export function reportError(error: unknown): number {
  if (error instanceof ConfigError || error instanceof UsageError) {
    console.error(pc.red(error.message));
    return exitCodes.usage;
  }
  if (error instanceof WarehouseStartError) {
    console.error(pc.red(error.message));
    return exitCodes.failure;
  }
  console.error(pc.red(error instanceof Error ? (error.stack ?? error.message) : String(error)));
  return exitCodes.failure;
}

/**
 * Runs a command body, turning failures into a message and an exit status. Exits explicitly,
 * so a pool or half-started server left open by the failure cannot keep the process alive.
 */
export async function runCommand(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    process.exit(reportError(error));
  }
}

/** Resolves when the process is asked to stop (Ctrl-C or SIGTERM). */
export function untilSignalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
