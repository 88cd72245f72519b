import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs after `npm run build` (the `build` project; npm test at the root orders it so).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const pluginFiles = fs
  .readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => path.basename(f) === 'plugin.json');

describe('the build in dist/', () => {
  it('exists (run npm run build first)', () => {
    expect(fs.existsSync(path.join(dist, 'plugin.json'))).toBe(true);
  });

  it.each(pluginFiles)('%s: has a module.js and a filled-in plugin.json', (file) => {
    const built = JSON.parse(fs.readFileSync(path.join(dist, file), 'utf8')) as { info: { version: string; updated: string } };
    expect(built.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(built.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(fs.existsSync(path.join(dist, path.dirname(file), 'module.js'))).toBe(true);
  });

  it('has the data source backend for each platform beside the nested plugin.json, named as Grafana looks for it', () => {
    const ds = JSON.parse(fs.readFileSync(path.join(dist, 'datasource/plugin.json'), 'utf8')) as {
      backend?: boolean;
      alerting?: boolean;
      executable?: string;
    };
    expect(ds).toMatchObject({ backend: true, alerting: true, executable: expect.stringMatching(/^gpx_/) });
    // Grafana runs <plugin dir>/<executable>_<os>_<arch>[.exe]; the SDK's mage build writes them there.
    for (const platform of ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64.exe']) {
      const file = path.join(dist, 'datasource', `${ds.executable}_${platform}`);
      expect(fs.existsSync(file), file).toBe(true);
      expect(fs.statSync(file).size).toBeGreaterThan(1_000_000);
      if (!platform.startsWith('windows')) expect(fs.statSync(file).mode & 0o111, `${file} is executable`).not.toBe(0);
    }
  });

  it('ships the dashboards the app includes', () => {
    const app = JSON.parse(fs.readFileSync(path.join(dist, 'plugin.json'), 'utf8')) as { includes: Array<{ type: string; path?: string }> };
    const dashboards = app.includes.filter((i) => i.type === 'dashboard');
    expect(dashboards.length).toBe(6);
    for (const d of dashboards) expect(fs.existsSync(path.join(dist, d.path!)), d.path).toBe(true);
  });
});
