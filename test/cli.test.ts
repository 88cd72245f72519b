import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
  const commands = ['start', 'seed', 'migrate', 'examples', 'report', 'token', 'metrics'];

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

  it('prints a token limited to the tenant asked for', async () => {
    const { code, stdout } = await engagement(['token', '--tenant', 'acme', '--expires', '1h'], { CUBE_API_SECRET: 'a-secret-for-the-cli-test' });
    expect(code).toBe(0);
    const claims = JSON.parse(Buffer.from(stdout.trim().split('.')[1]!, 'base64url').toString());
    expect(claims.tenant).toBe('acme');
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it.each([
    [['token'], 'Say whose token it is: --tenant <id>, or --admin for every tenant.'],
    [['token', '--tenant', 'acme', '--admin'], 'Use either --tenant or --admin, not both.'],
    [['token', '--tenant', 'acme', '--expires', 'soon'], 'expected a number and a unit (s, m, h, d, w, y), e.g. 30d, or "never".'],
    [['report', '--month', '2026-13'], 'expected a month as YYYY-MM.'],
  ])('exits 2 on %j, saying what to do', async (args, message) => {
    const { code, stderr } = await engagement(args, { CUBE_API_SECRET: 'a-secret-for-the-cli-test' });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
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
