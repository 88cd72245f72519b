import os from 'node:os';

type Cleanup = () => Promise<void>;

// Newest last: on a stop they run newest first, so Cube stops before the warehouse it reads.
const cleanups: Cleanup[] = [];
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** A cleanup that hangs (a server that will not stop) must not keep the process alive. */
const GRACE_MS = 20_000;
let installed = false;
let stopping: Promise<never> | undefined;
let signalEndsNormally = false;

function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 0);
}

function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      // A second Ctrl-C while stopping: stop waiting. The warehouse's exit hook still signals PostgreSQL.
      if (stopping) process.exit(signalExitCode(signal));
      console.error(`\n${signal}: shutting down.`);
      void shutdown(signalEndsNormally ? 0 : signalExitCode(signal));
    });
  }
}

/**
 * Registers `stop` to run when the process is stopped by a signal or a crash, and returns it
 * made idempotent: calling it runs it once and unregisters it.
 */
export function stopOnShutdown(stop: () => Promise<void>): () => Promise<void> {
  installSignalHandlers();
  let stopped: Promise<void> | undefined;
  const once: Cleanup = () => (stopped ??= stop());
  cleanups.push(once);
  return () => {
    const index = cleanups.indexOf(once);
    if (index >= 0) cleanups.splice(index, 1);
    return once();
  };
}

/** Runs every registered stop, newest first, then exits with `code`; later calls wait for the first. */
export function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    setTimeout(() => {
      console.error(`Still stopping after ${GRACE_MS / 1000} s; exiting anyway.`);
      process.exit(code);
    }, GRACE_MS).unref();
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`While shutting down: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    process.exit(code);
  })();
  return stopping;
}

/**
 * For a server command: waits until SIGINT, SIGTERM or SIGHUP, which then stops everything
 * registered and exits 0, the normal end of a server. (Other commands exit 128 + the signal.)
 */
export function untilSignalled(): Promise<never> {
  installSignalHandlers();
  signalEndsNormally = true;
  return new Promise<never>(() => {});
}
