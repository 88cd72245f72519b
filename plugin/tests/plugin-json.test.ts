import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectKnownBenchmarks, knownBenchmarksFile } from '../scripts/known-benchmarks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');

interface PluginJson {
  type: 'app' | 'datasource' | 'panel';
  id: string;
  name: string;
  info: { version: string; updated: string; logos: { small: string; large: string } };
  dependencies: { grafanaDependency: string };
  includes?: Array<{ type: string; name: string; path?: string }>;
  routes?: unknown[];
  multiValueFilterOperators?: boolean;
  backend?: boolean;
  alerting?: boolean;
  executable?: string;
}

const pluginFiles = fs
  .readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((f) => path.basename(f) === 'plugin.json')
  .sort();
const plugins = pluginFiles.map((file) => ({
  file,
  dir: path.join(src, path.dirname(file)),
  json: JSON.parse(fs.readFileSync(path.join(src, file), 'utf8')) as PluginJson,
}));
const app = plugins.find((p) => p.json.type === 'app')!;

describe.each(plugins.map((p) => [p.file, p] as const))('%s', (_file, { dir, json }) => {
  it('has an id of the form org-name-type, matching its type', () => {
    expect(json.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*-(app|datasource|panel)$/);
    expect(json.id.endsWith(`-${json.type}`)).toBe(true);
  });

  it('has a module.ts, its logos, build placeholders and the Grafana version it needs', () => {
    expect(fs.existsSync(path.join(dir, 'module.ts'))).toBe(true);
    expect(fs.existsSync(path.join(dir, json.info.logos.small))).toBe(true);
    expect(fs.existsSync(path.join(dir, json.info.logos.large))).toBe(true);
    expect([json.info.version, json.info.updated]).toEqual(['%VERSION%', '%TODAY%']);
    expect(json.dependencies.grafanaDependency).toBe('>=13.0.0');
  });
});

describe('the app', () => {
  it('is the only app, at src/, and includes every nested plugin by name and every dashboard by path', () => {
    expect(plugins.filter((p) => p.json.type === 'app')).toEqual([app]);
    expect(app.file).toBe('plugin.json');
    for (const nested of plugins.filter((p) => p !== app)) {
      expect(app.json.includes).toContainEqual({ type: nested.json.type, name: nested.json.name });
    }
    for (const include of app.json.includes!.filter((i) => i.type === 'dashboard')) {
      expect(fs.existsSync(path.join(src, include.path!)), include.path).toBe(true);
    }
  });
});

describe('the data source', () => {
  const ds = plugins.find((p) => p.json.type === 'datasource')!.json;

  it('has no proxy route: the browser reaches Cube only through the backend, which alone reads the token', () => {
    expect(ds.routes).toBeUndefined();
  });

  it('takes several values per ad-hoc filter (Grafana then offers "one of" / "not one of")', () => {
    expect(ds.multiValueFilterOperators).toBe(true);
  });
});

describe('the data source backend', () => {
  const ds = plugins.find((p) => p.json.type === 'datasource')!.json;

  it("is declared with alerting and an executable of Grafana's gpx_ naming, in its own folder", () => {
    expect(ds).toMatchObject({ backend: true, alerting: true });
    // Not "../gpx_…": the SDK's build puts a nested data source's executable beside its plugin.json.
    expect(ds.executable).toMatch(/^gpx_[a-z0-9_]+$/);
  });
});

describe('knownBenchmarks.json', () => {
  it('matches the benchmarks in the Cube model (run scripts/known-benchmarks.ts after changing them)', () => {
    expect(JSON.parse(fs.readFileSync(knownBenchmarksFile, 'utf8'))).toEqual(collectKnownBenchmarks());
  });
});
