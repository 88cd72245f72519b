import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { freePort } from './support/ports.js';

const run = promisify(execFile);
const cli = path.resolve('src/cli/main.ts');
const tsx = path.resolve('node_modules/.bin/tsx');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function engagement(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(tsx, [cli, ...args], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('command line', () => {
  const commands = ['start', 'seed', 'migrate', 'examples', 'report', 'token', 'metrics', 'import', 'predict', 'warm'];

  it('lists every command in --help', async () => {
    const { code, stdout } = await engagement(['--help']);
    expect(code).toBe(0);
    const listed = [...stdout.split('Commands:')[1]!.matchAll(/^ {2}(\w+)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(listed.sort()).toEqual([...commands].sort());
  });

  it.each(commands)('%s --help describes the command', async (command) => {
    const { code, stdout } = await engagement([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: engagement ${command}`));
  });

  describe('token', () => {
    let database: TestDatabase;
    let env: Record<string, string>;
    beforeAll(async () => {
      database = await createTestDatabase();
      await database.db('tenants').insert([
        { id: 'acme', name: 'Acme', business_model: 'b2b' },
        { id: 'lumen', name: 'Lumen', business_model: 'b2c' },
      ]);
      // CUBE_PORT where nothing listens, so the command reads the warehouse, not a running Cube.
      env = { CUBE_API_SECRET: 'a-secret-for-the-cli-test', DATABASE_URL: database.url, CUBE_PORT: String(await freePort()) };
    });
    afterAll(() => database?.drop());

    it('prints a token limited to the tenant asked for', async () => {
      const { code, stdout } = await engagement(['token', '--tenant', 'acme', '--expires', '1h'], env);
      expect(code).toBe(0);
      const claims = JSON.parse(Buffer.from(stdout.trim().split('.')[1]!, 'base64url').toString());
      expect(claims.tenant).toBe('acme');
      expect(claims.exp - claims.iat).toBe(3600);
    });

    it.each([
      [['token', '--tenant', 'nosuch'], 'No tenant "nosuch" in the warehouse, so Cube would refuse the token. Known tenants: acme, lumen.'],
      [['token', '--tenant', 'ACME'], 'No tenant "ACME" in the warehouse'],
      [
        ['token', '--tenant', 'acme', '--expires', 'never'],
        "argument 'never' is invalid. tokens must expire: give a lifetime up to TOKEN_MAX_LIFETIME (default 365d), e.g. 30d.",
      ],
      [
        ['token', '--tenant', 'acme', '--expires', '400d'],
        '--expires 400d is longer than TOKEN_MAX_LIFETIME (365d), so Cube would refuse the token: ask for 365d or less.',
      ],
    ])('exits 2 on %j, naming the problem', async (args, message) => {
      const { code, stdout, stderr } = await engagement(args, env);
      expect(code).toBe(2);
      expect(stderr).toContain(message);
      expect(stdout).toBe('');
    });

    it('warm: names an unknown tenant, and a Cube that does not answer', async () => {
      const unknown = await engagement(['warm', '--tenant', 'nosuch'], env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('Unknown tenant "nosuch". Known tenants: acme, lumen.');
      const down = await engagement(['warm', '--wait', '1'], env);
      expect(down.code).toBe(1);
      expect(down.stderr).toContain(
        `No Cube answers on http://127.0.0.1:${env.CUBE_PORT}/livez after 1 s: start one (npm start), or pass --cube-url.`,
      );
    });

    it('follows TOKEN_MAX_LIFETIME', async () => {
      const { code, stderr } = await engagement(['token', '--admin', '--expires', '2d'], { ...env, TOKEN_MAX_LIFETIME: '1d' });
      expect(code).toBe(2);
      expect(stderr).toContain('--expires 2d is longer than TOKEN_MAX_LIFETIME (1d)');
    });
  });

  it.each([
    [['token'], 'Say whose token it is: --tenant <id>, or --admin for every tenant.'],
    [['token', '--tenant', 'acme', '--admin'], 'Use either --tenant or --admin, not both.'],
    [['token', '--tenant', 'acme', '--expires', 'soon'], 'expected a whole number and a unit (s, m, h, d, w, y), e.g. 30d.'],
    [['report', '--month', '2026-13'], 'expected a month as YYYY-MM.'],
  ])('exits 2 on %j, saying what to do', async (args, message) => {
    const { code, stderr } = await engagement(args, { CUBE_API_SECRET: 'a-secret-for-the-cli-test' });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  describe('predict', () => {
    let database: TestDatabase;
    let env: Record<string, string>;
    beforeAll(async () => {
      database = await createTestDatabase();
      await database.db('tenants').insert([{ id: 'acme', name: 'Acme', business_model: 'b2b' }]);
      await database.db('customers').insert(['a', 'b'].map((id) => ({ tenant_id: 'acme', id, signup_at: '2026-01-01T00:00:00Z' })));
      await database.db('orders').insert([
        { tenant_id: 'acme', id: '1', customer_id: 'a', ordered_at: '2026-01-02T00:00:00Z', amount: 10 },
        { tenant_id: 'acme', id: '2', customer_id: 'a', ordered_at: '2026-02-02T00:00:00Z', amount: 12 },
        { tenant_id: 'acme', id: '3', customer_id: 'b', ordered_at: '2026-01-05T00:00:00Z', amount: 30 },
      ]);
      env = { DATABASE_URL: database.url };
    });
    afterAll(() => database?.drop());

    it('fits each tenant and prints the parameters, the fit and the rows written', async () => {
      const { code, stdout } = await engagement(['predict', '--as-of', '2026-03-31'], env);
      expect(code).toBe(0);
      expect(stdout).toContain('acme (history through 2026-03-31');
      expect(stdout).toMatch(/bgnbd +r=\S+ alpha=\S+ a=\S+ b=\S+/);
      expect(stdout).toMatch(/log-likelihood -?[\d.]+ over 2, \d+ iterations/);
      expect(stdout).toContain('sbg          skipped: no subscription cohort observed for a full month');
      expect(await database.db('customer_predictions').count({ n: '*' })).toEqual([{ n: 2 }]);
    });

    it.each([
      [['predict', '--tenant', 'nope'], '--tenant: unknown tenant "nope". Known tenants: acme.'],
      [
        ['predict', '--as-of', '2026-13-01'],
        "option '--as-of <YYYY-MM-DD>' argument '2026-13-01' is invalid. expected a date as YYYY-MM-DD.",
      ],
    ])('exits 2 on %j, naming the flag', async (args, message) => {
      const { code, stderr } = await engagement(args, env);
      expect(code).toBe(2);
      expect(stderr).toContain(message);
    });
  });

  it('exits 2 on a bad flag, with the flag named', async () => {
    const { code, stderr } = await engagement(['seed', '--customers', 'many']);
    expect(code).toBe(2);
    expect(stderr).toContain("option '--customers <n>' argument 'many' is invalid");
  });

  it('exits 2 on a bad environment variable, naming it, what it got and what it expects', async () => {
    const { code, stderr } = await engagement(['migrate'], { PG_PORT: 'http' });
    expect(code).toBe(2);
    expect(stderr).toContain('PG_PORT: got "http", expected a TCP port number');
  });

  it('exits 1 with a clear message when the data directory cannot be created', async () => {
    const { code, stderr } = await engagement(['migrate'], { DATA_DIR: '/dev/null/warehouse' });
    expect(code).toBe(1);
    expect(stderr).toContain('The data directory /dev/null/warehouse is not writable');
  });

  describe('when the PostgreSQL port is taken', () => {
    const blocker = net.createServer();
    let port = 0;
    beforeAll(async () => {
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      port = (blocker.address() as net.AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

    it('exits 1 and says which port and what to do', async () => {
      const { code, stderr } = await engagement(['migrate'], { PG_PORT: String(port), DATA_DIR: '.data/cli-test' });
      expect(code).toBe(1);
      // The blocker is this test process: the message names its pid.
      expect(stderr).toContain(`PG_PORT ${port} is taken by pid ${process.pid} (`);
      expect(stderr).toContain('set PG_PORT to a free port');
    });
  });
});
