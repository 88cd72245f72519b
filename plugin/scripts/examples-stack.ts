import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseExamplesStackLine, type ExamplesStack } from '@engagement/contract';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const START_TIMEOUT_MS = 170_000;

export interface RunningStack {
  stack: ExamplesStack;
  stop(): Promise<void>;
}

/**
 * Starts the root's worked-example stack (`npm run examples-stack`) as a separate process
 * and waits for the JSON line that describes it. The process stops when its stdin closes, so
 * it also stops if this one dies. DATABASE_URL, when set, is used as is, as the root tests do;
 * otherwise an embedded PostgreSQL on TEST_PG_PORT keeps its cluster in `dataDir`.
 */
export function startExamplesStack(dataDir: string): Promise<RunningStack> {
  const env = { ...process.env, PG_PORT: process.env.TEST_PG_PORT ?? '54339', DATA_DIR: dataDir };
  const child = spawn('npm', ['run', '--silent', 'examples-stack'], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`the examples stack printed no description within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(error);
    };
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const stack = parseExamplesStackLine(line);
      if (!stack) return;
      clearTimeout(timer);
      resolve({ stack, stop: () => stop(child, exited) });
    });
    void exited.then((code) => fail(new Error(`the examples stack exited with status ${code} before it was up (its errors are above)`)));
  });
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  child.stdin!.end();
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') child.kill('SIGKILL');
}
