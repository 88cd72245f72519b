import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { portIsFree } from '../src/runtime/port-owner.js';
import { freePort } from './support/ports.js';

/** `command` with the newcomer's settings on an own data directory and free ports; resolves once it is ready. */
async function startUntilReady(command: string, args: string[], ports: { pg: number; cube: number }) {
  const child = spawn(command, args, {
    env: {
      ...process.env,
      DATABASE_URL: '',
      DATA_DIR: '.data/start-test',
      PG_PORT: String(ports.pg),
      CUBE_PORT: String(ports.cube),
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
  return { child, exited, ready, output: () => output };
}

// The newcomer's path: `npm start` on an empty data directory, then Ctrl-C.
describe('npm start', () => {
  it('migrates, seeds, serves Cube, prints the KPI report and a token, and stops on SIGINT', async () => {
    fs.rmSync('.data/start-test', { recursive: true, force: true });
    // As package.json runs it. (tsx's own CLI relays a signal to its child and SIGKILLs the
    // child if it has not acknowledged within 30 ms, which a loaded machine misses.)
    const started = await startUntilReady(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], {
      pg: await freePort(),
      cube: await freePort(),
    });
    const output = started.output();
    expect(started.ready, output).toBe(true);
    expect(output).toMatch(/Warehouse: embedded PostgreSQL/);
    expect(output).toMatch(/Cube: http:\/\/127\.0\.0\.1:\d+/);
    // Predictions are fitted after seeding, before Cube serves them.
    expect(output).toMatch(/ {2}bgnbd +r=\S+ alpha=\S+ a=\S+ b=\S+\n +log-likelihood/);
    expect(output.indexOf('bgnbd')).toBeLessThan(output.indexOf('Cube: http'));
    expect(output).toMatch(/KPI report for tenant \w+, \d{4}-\d{2} \(data through \d{4}-\d{2}-\d{2}\)/);
    expect(output).toMatch(/Net Promoter Score .* (poor|fair|good|excellent) /);
    // Segments and predictions under the KPIs, from Cube.
    expect(output).toMatch(/Segments \(RFM\), \d{4}-\d{2}: [A-Z][a-z]+/);
    expect(output).toMatch(/Predictions: .*likely alive [\d.]+%/);
    expect(output).toMatch(/Churn risk: [\d,]+ customers at risk/);
    expect(output).toMatch(/token for tenant \w+ \(valid 30 days\):\n {2}eyJ/);

    started.child.kill('SIGINT');
    expect(await started.exited).toBe(0);
    expect(started.output()).toMatch(/SIGINT: shutting down/);
  }, 240_000);

  // npm runs the script through sh, which once stayed between npm and the program and died
  // alone on SIGTERM, leaving Cube and PostgreSQL running with their ports.
  it('stops Cube and the embedded PostgreSQL when npm itself is sent SIGTERM, freeing both ports', async () => {
    const ports = { pg: await freePort(), cube: await freePort() };
    const started = await startUntilReady('npm', ['start', '--silent'], ports);
    expect(started.ready, started.output()).toBe(true);

    started.child.kill('SIGTERM');
    await started.exited;
    expect(started.output()).toMatch(/SIGTERM: shutting down/);
    // npm may return before its child has finished; the ports must be free soon after.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !((await portIsFree(ports.pg)) && (await portIsFree(ports.cube))))
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await portIsFree(ports.pg), `PG_PORT ${ports.pg}`).toBe(true);
    expect(await portIsFree(ports.cube), `CUBE_PORT ${ports.cube}`).toBe(true);
  }, 240_000);
});
