import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../src/cube/tokens.js';
import { rolePassword } from '../../src/warehouse/roles.js';

// The bundle the docker-compose `setup` service builds for the cubejs/cube image, built and
// loaded the same way here.
const SECRET = 'a-docker-secret-long-enough';
let dir: string;
let config: {
  checkAuth: (req: { securityContext?: unknown }, auth?: string) => Promise<void>;
  queryRewrite: (query: object, context: { securityContext?: unknown }) => Promise<{ filters: unknown[] }>;
  contextToAppId: (context: { securityContext?: unknown }) => string;
  preAggregationsSchema: (context: { securityContext?: unknown }) => string;
  driverFactory: (context: { securityContext?: unknown }) => Promise<{ config: { user: string; password: string; database: string }; release(): Promise<void> }>;
};

beforeAll(async () => {
  // Inside the project, so the bundle resolves @cubejs-backend/* as it does from /app/dist.
  await fs.mkdir(path.resolve('node_modules/.cache'), { recursive: true });
  dir = await fs.mkdtemp(path.resolve('node_modules/.cache/cube-config-'));
  const outfile = path.join(dir, 'cube-config.cjs');
  await promisify(execFile)(path.resolve('node_modules/.bin/esbuild'), [
    'src/cube/docker-config.ts', '--bundle', '--platform=node', '--target=node18', '--format=cjs', `--outfile=${outfile}`, '--external:@cubejs-backend/*',
  ]);
  Object.assign(process.env, { CUBEJS_API_SECRET: SECRET, CUBEJS_DB_HOST: 'postgres', CUBEJS_DB_NAME: 'engagement' });
  config = createRequire(import.meta.url)(outfile).cubeConfig;
});
afterAll(async () => {
  for (const name of ['CUBEJS_API_SECRET', 'CUBEJS_DB_HOST', 'CUBEJS_DB_NAME']) delete process.env[name];
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the Cube config bundled for the docker image', () => {
  it('checks tokens with CUBEJS_API_SECRET', async () => {
    const req: { securityContext?: unknown } = {};
    await config.checkAuth(req, mintToken(SECRET, { tenant: 'acme' }));
    expect(req.securityContext).toEqual({ tenant: 'acme' });
    await expect(config.checkAuth({}, mintToken('some-other-secret-value', { tenant: 'acme' }))).rejects.toThrow('not signed');
  });

  it('scopes queries to the token tenant', async () => {
    const rewritten = await config.queryRewrite({ measures: ['survey_responses.nps'] }, { securityContext: { tenant: 'acme' } });
    expect(rewritten.filters).toEqual([{ member: 'survey_responses.tenant_id', operator: 'equals', values: ['acme'] }]);
  });

  it('compiles a model per tenant, with its own rollup schema', () => {
    expect(config.contextToAppId({ securityContext: { tenant: 'acme' } })).toBe('engagement_t_acme');
    expect(config.preAggregationsSchema({ securityContext: { tenant: 'acme' } })).toBe('cube_pre_aggregations_t_acme');
    expect(config.preAggregationsSchema({ securityContext: { admin: true } })).toBe('cube_pre_aggregations');
  });

  it("connects as the tenant's role with the password derived from the API secret, never as the owner", async () => {
    const driver = await config.driverFactory({ securityContext: { tenant: 'acme' } });
    try {
      expect(driver.config).toMatchObject({ user: 'engagement_t_acme', password: rolePassword(SECRET, 'engagement_t_acme'), database: 'engagement' });
    } finally {
      await driver.release();
    }
    await expect(config.driverFactory({})).rejects.toThrow('The request has no tenant');
  });
});
