import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from './support/ports.js';

// What a newcomer sees when something on the machine is not as the program needs: one
// message that says what is wrong and what to do, exit status 1, no stack trace.
const run = promisify(execFile);
const cli = path.resolve('src/cli/main.ts');

interface Outcome {
  code: number;
  stderr: string;
  ms: number;
}

async function engagement(args: string[], env: Record<string, string>): Promise<Outcome> {
  const started = Date.now();
  try {
    const { stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      timeout: 60_000,
    });
    return { code: 0, stderr, ms: Date.now() - started };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr, ms: Date.now() - started };
  }
}

function expectOneCleanMessage(outcome: Outcome, text: string | RegExp): void {
  expect(outcome.code, outcome.stderr).toBe(1);
  expect(outcome.stderr).toMatch(text);
  expect(outcome.stderr, 'no stack trace').not.toMatch(/\n\s+at /);
}

let scratch: string;
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'first-contact-'));
  await fs.chmod(scratch, 0o755);
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('the embedded warehouse', () => {
  it('fails fast on a DATA_DIR on the proc filesystem', async () => {
    const outcome = await engagement(['migrate'], { DATA_DIR: '/proc/engagement-data' });
    expectOneCleanMessage(outcome, 'DATA_DIR /proc/engagement-data is on the proc filesystem (/proc), which cannot hold files.');
    expect(outcome.ms).toBeLessThan(15_000);
  });

  it.runIf(process.getuid?.() === 0)('names the directory that user postgres cannot enter, and says chmod o+x', async () => {
    const closed = path.join(scratch, 'home-like');
    await fs.mkdir(closed, { mode: 0o700 });
    await fs.chmod(closed, 0o700);
    const outcome = await engagement(['migrate'], { DATA_DIR: path.join(closed, 'data'), PG_PORT: String(await freePort()) });
    expectOneCleanMessage(outcome, `postgres cannot enter:\n  ${closed} (mode 700), on the way to DATA_DIR ${path.join(closed, 'data')}`);
    expect(outcome.stderr).toContain(`Fix: chmod o+x ${closed}`);
    expect(outcome.stderr).toContain('or set DATA_DIR to a directory outside it');
    expect(outcome.stderr).not.toContain('EACCES');
  });

  it("shows initdb's own message when it cannot create the cluster", async () => {
    const dataDir = path.join(scratch, 'not-empty');
    await fs.mkdir(path.join(dataDir, 'pg'), { recursive: true });
    await fs.writeFile(path.join(dataDir, 'pg', 'something-else'), 'not a cluster\n');
    const outcome = await engagement(['migrate'], { DATA_DIR: dataDir, PG_PORT: String(await freePort()) });
    expectOneCleanMessage(outcome, `initdb could not create the cluster in ${path.join(dataDir, 'pg')} (exit 1):`);
    expect(outcome.stderr).toMatch(/initdb: error: directory ".*" exists but is not empty/);
  });
});

describe('a taken CUBE_PORT', () => {
  const blocker = net.createServer();
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('is named with what holds it, before the warehouse starts', async () => {
    const outcome = await engagement(['start'], { CUBE_PORT: String(port), DATA_DIR: path.join(scratch, 'cube-port') });
    expectOneCleanMessage(outcome, `CUBE_PORT ${port} is taken by pid ${process.pid} (`);
    expect(outcome.stderr).toContain('set CUBE_PORT to a free port');
    await expect(fs.access(path.join(scratch, 'cube-port', 'pg'))).rejects.toThrow();
  });
});

describe('DATABASE_URL', () => {
  const web = http.createServer((_req, res) => res.end('hello'));
  let webPort = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    webPort = (web.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => web.close(() => resolve())));

  const server = () => new URL(inject('adminDatabaseUrl'));
  const cases: [string, () => Promise<string>, RegExp][] = [
    [
      'nothing listening',
      async () => `postgres://app:secret@127.0.0.1:${await freePort()}/engagement`,
      /nothing accepts connections at 127\.0\.0\.1:\d+ \(connection refused\)\. Start PostgreSQL there/,
    ],
    [
      'an unknown host',
      async () => 'postgres://app:secret@no-such-host.invalid:5432/engagement',
      /the host no-such-host\.invalid is not known \(DNS lookup failed\)/,
    ],
    [
      'a wrong password',
      async () => {
        const url = server();
        url.password = 'wrong';
        return url.toString();
      },
      /refused user postgres: password authentication failed for user "postgres"\. Fix the user name or password\./,
    ],
    [
      'a missing database',
      async () => {
        const url = server();
        url.pathname = '/no_such_db';
        return url.toString();
      },
      /the database "no_such_db" does not exist on 127\.0\.0\.1:\d+\. Create it \(createdb no_such_db\)/,
    ],
    [
      'a server that is not PostgreSQL',
      async () => `postgres://app:secret@127.0.0.1:${webPort}/engagement`,
      /the server at 127\.0\.0\.1:\d+ did not answer as PostgreSQL/,
    ],
  ];

  it.each(cases)('with %s is explained once, naming the variable, without the password', async (_name, url, message) => {
    const outcome = await engagement(['migrate'], { DATABASE_URL: await url() });
    expectOneCleanMessage(outcome, message);
    expect(outcome.stderr.match(/DATABASE_URL \(/g)).toHaveLength(1);
    expect(outcome.stderr).not.toMatch(/secret|wrong@/);
  });
});
