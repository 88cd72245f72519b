import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { portIsFree } from '../../src/runtime/port-owner.js';
import { startEmbeddedWarehouse, type EmbeddedWarehouse } from '../../src/warehouse/embedded.js';
import { freePort } from '../support/ports.js';

// Servers of their own (each test stops or kills its server), in folders beside the shared one.
const root = path.resolve(`${process.env.TEST_DATA_DIR ?? '.data/test'}-embedded`);
const started: EmbeddedWarehouse[] = [];
const start = async (dataDir: string, port: number) => {
  const warehouse = await startEmbeddedWarehouse({ dataDir, port, database: 'engagement' });
  started.push(warehouse);
  return warehouse;
};

async function canLogIn(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A child Node process running `script` (ES module source) with the repository's modules. */
function child(script: string) {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (chunk) => (output += chunk));
  proc.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const says = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (output.includes(text)) {
          clearInterval(check);
          resolve();
        }
      }, 50);
      void exited.then(() => (clearInterval(check), reject(new Error(`exited before saying "${text}":\n${output}`))));
    });
  return { proc, exited, says, output: () => output };
}

const warehouseScript = (dataDir: string, port: number, then: string) => `
  import { runCommand } from ${JSON.stringify(path.resolve('src/cli/run.ts'))};
  import { startEmbeddedWarehouse } from ${JSON.stringify(path.resolve('src/warehouse/embedded.ts'))};
  await runCommand(async () => {
    await startEmbeddedWarehouse({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, database: 'engagement' });
    console.log('warehouse up');
    ${then}
  });`;

afterAll(async () => {
  for (const warehouse of started) await warehouse.stop();
  await fs.rm(root, { recursive: true, force: true });
});

describe('the embedded warehouse', () => {
  it('generates its password into DATA_DIR (mode 600) and keeps its socket in the cluster directory', async () => {
    const dataDir = path.join(root, 'fresh');
    await fs.rm(dataDir, { recursive: true, force: true });
    const port = await freePort();
    const warehouse = await start(dataDir, port);
    const file = path.join(dataDir, 'pg-password');
    const password = (await fs.readFile(file, 'utf8')).trim();
    expect(password).toMatch(/^[0-9a-f]{64}$/);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(new URL(warehouse.url).password).toBe(password);
    expect(await canLogIn(port, password)).toBe(true);
    expect(await canLogIn(port, 'postgres')).toBe(false);
    await expect(fs.stat(path.join(dataDir, 'pg', `.s.PGSQL.${port}`))).resolves.toBeDefined();
    await expect(fs.stat(`/tmp/.s.PGSQL.${port}`)).rejects.toThrow();
    await warehouse.stop();
    expect(await portIsFree(port)).toBe(true);
  });

  it('changes the fixed password of a cluster created before it was generated', async () => {
    const dataDir = path.join(root, 'legacy');
    await fs.rm(dataDir, { recursive: true, force: true });
    const port = await freePort();
    const first = await start(dataDir, port);
    const client = new pg.Client({ connectionString: first.adminUrl });
    await client.connect();
    await client.query("ALTER ROLE postgres PASSWORD 'postgres'");
    await client.end();
    await first.stop();
    await fs.rm(path.join(dataDir, 'pg-password'));

    const again = await start(dataDir, port);
    const password = (await fs.readFile(path.join(dataDir, 'pg-password'), 'utf8')).trim();
    expect(new URL(again.url).password).toBe(password);
    expect(await canLogIn(port, password)).toBe(true);
    expect(await canLogIn(port, 'postgres')).toBe(false);
    await again.stop();
  });

  it('runs without a socket when the cluster path is too long for one', async () => {
    const dataDir = path.join(root, 'x'.repeat(Math.max(1, 110 - root.length)));
    await fs.rm(dataDir, { recursive: true, force: true });
    const port = await freePort();
    const warehouse = await start(dataDir, port);
    expect(await canLogIn(port, new URL(warehouse.url).password)).toBe(true);
    expect((await fs.readdir(path.join(dataDir, 'pg'))).filter((name) => name.startsWith('.s.PGSQL'))).toEqual([]);
    await warehouse.stop();
  });

  it('stops a postmaster left running by a run that was killed with SIGKILL', async () => {
    const dataDir = path.join(root, 'leftover');
    const port = await freePort();
    const killed = child(warehouseScript(dataDir, port, 'await new Promise(() => {});'));
    await killed.says('warehouse up');
    killed.proc.kill('SIGKILL');
    await killed.exited;
    const orphan = Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(await portIsFree(port)).toBe(false);

    const warehouse = await start(dataDir, port);
    expect(() => process.kill(orphan, 0)).toThrow();
    expect(await canLogIn(port, new URL(warehouse.url).password)).toBe(true);
    await warehouse.stop();
  });

  it('stops PostgreSQL when a command is sent SIGTERM, and exits 143', async () => {
    const port = await freePort();
    const running = child(warehouseScript(path.join(root, 'sigterm'), port, 'await new Promise(() => {});'));
    await running.says('warehouse up');
    running.proc.kill('SIGTERM');
    expect(await running.exited).toBe(143);
    expect(running.output()).toContain('SIGTERM: shutting down.');
    expect(await portIsFree(port)).toBe(true);
  });

  it('still stops when its terminal has gone away (writes fail with EPIPE)', async () => {
    const port = await freePort();
    const orphaned = child(warehouseScript(path.join(root, 'epipe'), port, 'await new Promise(() => {});'));
    await orphaned.says('warehouse up');
    orphaned.proc.stdout.destroy();
    orphaned.proc.stderr.destroy();
    orphaned.proc.kill('SIGTERM');
    expect(await orphaned.exited).toBe(143);
    expect(await portIsFree(port)).toBe(true);
  });

  it('stops PostgreSQL when the program crashes, and exits 1', async () => {
    const port = await freePort();
    const crashing = child(
      warehouseScript(path.join(root, 'crash'), port, "setTimeout(() => { throw new Error('a bug'); }, 10); await new Promise(() => {});"),
    );
    expect(await crashing.exited).toBe(1);
    expect(crashing.output()).toContain('Crashed (uncaught exception): Error: a bug');
    expect(await portIsFree(port)).toBe(true);
  });
});
