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
  it.each([[[]], [['start']], [['seed']], [['migrate']], [['examples']]])('%j --help describes the command', async (args) => {
    const { code, stdout } = await engagement([...args, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: engagement/);
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
      expect(stderr).toContain(`Port ${port} is taken`);
      expect(stderr).toContain('set PG_PORT to a free port');
    });
  });
});
