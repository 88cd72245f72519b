import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from './support/ports.js';

// The newcomer's path: `npm start` on an empty data directory, then Ctrl-C.
describe('npm start', () => {
  it('migrates, seeds, serves Cube, prints the KPI report and a token, and stops on SIGINT', async () => {
    const child = spawn(path.resolve('node_modules/.bin/tsx'), ['src/cli/main.ts', 'start'], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        DATA_DIR: '.data/start-test',
        PG_PORT: String(Number(process.env.TEST_PG_PORT ?? 54339) + 1),
        CUBE_PORT: String(await freePort()),
        SEED_CUSTOMERS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const ready = await Promise.race([
      new Promise<boolean>((resolve) => {
        const check = setInterval(() => {
          if (/Ready in [\d.]+ s/.test(output)) {
            clearInterval(check);
            resolve(true);
          }
        }, 200);
      }),
      exited.then(() => false),
    ]);
    expect(ready, output).toBe(true);
    expect(output).toMatch(/Warehouse: embedded PostgreSQL/);
    expect(output).toMatch(/Cube: http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/KPI report for tenant \w+, \d{4}-\d{2}/);
    expect(output).toMatch(/Net Promoter Score .* (poor|fair|good|excellent) /);
    expect(output).toMatch(/token for tenant \w+ \(valid 30 days\):\n {2}eyJ/);

    child.kill('SIGINT');
    expect(await exited).not.toBeNull();
    expect(output).toMatch(/SIGINT: shutting down/);
  }, 240_000);
});
