import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../src/cube/tokens.js';
import { warehouseLogins } from '../../src/cube/warehouse-logins.js';
import { rolePassword, rolePrefix } from '../../src/warehouse/roles.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The bundle the docker-compose `setup` service builds for the cubejs/cube image, built and
// loaded the same way here.
const SECRET = 'a-docker-secret-long-enough';
let dir: string;
let database: TestDatabase;
let cubeEnv: Record<string, string> = {};
let config: {
  checkAuth: (req: { securityContext?: unknown }, auth?: string) => Promise<void>;
  queryRewrite: (query: object, context: { securityContext?: unknown }) => Promise<{ filters: unknown[] }>;
  contextToAppId: (context: { securityContext?: unknown }) => string;
  preAggregationsSchema: (context: { securityContext?: unknown }) => string;
  driverFactory: (context: {
    securityContext?: unknown;
  }) => Promise<{ config: { user: string; password: string; database: string }; release(): Promise<void> }>;
};

beforeAll(async () => {
  // Inside the project, so the bundle resolves @cubejs-backend/* as it does from /app/dist.
  await fs.mkdir(path.resolve('node_modules/.cache'), { recursive: true });
  dir = await fs.mkdtemp(path.resolve('node_modules/.cache/cube-config-'));
  const outfile = path.join(dir, 'cube-config.cjs');
  await promisify(execFile)(path.resolve('node_modules/.bin/esbuild'), [
    'src/cube/docker-config.ts',
    '--bundle',
    '--platform=node',
    '--target=node18',
    '--format=cjs',
    `--outfile=${outfile}`,
    '--external:@cubejs-backend/*',
  ]);
  // The warehouse as the image's CUBEJS_DB_* variables name it, with the roles the `setup`
  // service makes: the container logs in as those, and reads `tenants` as the admin role.
  database = await createTestDatabase();
  await database.db('tenants').insert({ id: 'acme', name: 'Acme', business_model: 'b2b' });
  const logins = warehouseLogins(database.url, SECRET, 60);
  await logins.provision();
  await logins.end();
  const url = new URL(database.url);
  cubeEnv = { CUBEJS_API_SECRET: SECRET, CUBEJS_DB_HOST: url.hostname, CUBEJS_DB_PORT: url.port, CUBEJS_DB_NAME: url.pathname.slice(1) };
  Object.assign(process.env, cubeEnv);
  config = createRequire(import.meta.url)(outfile).cubeConfig;
});
afterAll(async () => {
  for (const name of Object.keys(cubeEnv)) delete process.env[name];
  await database?.drop();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the Cube config bundled for the docker image', () => {
  it('checks tokens with CUBEJS_API_SECRET', async () => {
    const req: { securityContext?: unknown } = {};
    await config.checkAuth(req, mintToken(SECRET, { tenant: 'acme' }));
    expect(req.securityContext).toEqual({ tenant: 'acme' });
    await expect(config.checkAuth({}, mintToken('some-other-secret-value', { tenant: 'acme' }))).rejects.toThrow('not signed');
  });

  it('refuses a tenant missing from the warehouse that CUBEJS_DB_* names', async () => {
    await expect(config.checkAuth({}, mintToken(SECRET, { tenant: 'globex' }))).rejects.toThrow('there is no tenant "globex"');
  });

  it('scopes queries to the token tenant', async () => {
    const rewritten = await config.queryRewrite({ measures: ['survey_responses.nps'] }, { securityContext: { tenant: 'acme' } });
    expect(rewritten.filters).toEqual([{ member: 'survey_responses.tenant_id', operator: 'equals', values: ['acme'] }]);
  });

  it('refuses a time zone that is not an IANA name (the injection of issue 9), and keeps a real one', async () => {
    const context = { securityContext: { tenant: 'acme' } };
    await expect(config.queryRewrite({ measures: ['survey_responses.nps'], timezone: "UTC')) x --" }, context)).rejects.toThrow(
      /timezone: expected an IANA time zone name/,
    );
    await expect(config.queryRewrite({ measures: ['survey_responses.nps'], timezone: 'America/New_York' }, context)).resolves.toMatchObject(
      { timezone: 'America/New_York' },
    );
  });

  it('compiles a model per tenant, with its own rollup schema', () => {
    expect(config.contextToAppId({ securityContext: { tenant: 'acme' } })).toBe('engagement_t_acme');
    expect(config.preAggregationsSchema({ securityContext: { tenant: 'acme' } })).toBe('cube_pre_aggregations_t_acme');
    expect(config.preAggregationsSchema({ securityContext: { admin: true } })).toBe('cube_pre_aggregations');
  });

  it("connects as the tenant's role with the password derived from the API secret, never as the owner", async () => {
    const driver = await config.driverFactory({ securityContext: { tenant: 'acme' } });
    try {
      const role = `${rolePrefix(cubeEnv.CUBEJS_DB_NAME!)}_t_acme`;
      expect(driver.config).toMatchObject({ user: role, password: rolePassword(SECRET, role), database: cubeEnv.CUBEJS_DB_NAME });
    } finally {
      await driver.release();
    }
    await expect(config.driverFactory({})).rejects.toThrow('The request has no tenant');
  });
});
