import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

interface Service {
  image: string;
  ports?: { published: number | string; target: number }[] | string[];
  volumes?: ({ source: string; target: string } | string)[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

let services: Record<string, Service>;

// Docker cannot run here; Debian's docker-compose validates the file against the compose
// schema and resolves it (.ci/run installs it).
beforeAll(async () => {
  const { stdout } = await promisify(execFile)('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
    env: { ...process.env, CUBE_API_SECRET: '' },
  });
  services = parse(stdout).services;
});

const targets = (s: Service) => (s.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1] : v.target));
const published = (s: Service) => (s.ports ?? []).map((p) => (typeof p === 'string' ? p.split(':')[0] : String(p.published)));

describe('docker-compose.yml', () => {
  it('is valid and runs PostgreSQL, the setup job and Cube 0.35.81', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'setup', 'cube']));
    expect(services.cube!.image).toBe('cubejs/cube:v0.35.81');
  });

  it('migrates and seeds with our own commands once PostgreSQL is healthy', () => {
    const setup = services.setup!;
    expect(JSON.stringify(setup)).toMatch(/npm run migrate && npm run seed/);
    expect(setup.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(services.cube!.depends_on?.setup?.condition).toBe('service_completed_successfully');
  });

  it('serves the model with our tenancy config, the REST API on 4000 and the SQL API on 15432', () => {
    const cube = services.cube!;
    expect(targets(cube)).toEqual(expect.arrayContaining(['/cube/conf/model', '/cube/conf/cube.js', '/app/dist']));
    expect(published(cube)).toEqual(expect.arrayContaining(['4000', '15432']));
    expect(cube.environment).toMatchObject({ CUBEJS_PG_SQL_PORT: '15432', CUBEJS_EXTERNAL_DEFAULT: 'false', CUBEJS_CACHE_AND_QUEUE_DRIVER: 'memory' });
    expect(cube.environment?.CUBEJS_API_SECRET).toBe(services.setup!.environment?.CUBE_API_SECRET);
  });
});
