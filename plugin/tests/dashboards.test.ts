import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUBE_DS_TYPE, dashboards, dashboardsDir, renderDashboard } from '../scripts/dashboards';
import { parseQueryModel } from '../src/datasource/types';
import appPlugin from '../src/plugin.json';
import { modelMembers, type ModelKind } from './model';

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Array<Record<string, unknown>>;
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query?: { dimension?: string } | string;
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
}

const files = Object.keys(dashboards);
const load = (file: string) => JSON.parse(fs.readFileSync(path.join(dashboardsDir, file), 'utf8')) as Dashboard;
const members = modelMembers();
const panelTypes = new Set(['row', 'engagement-kpi-panel', 'engagement-cohort-panel', 'timeseries', 'stat', 'bargauge', 'table']);

/** Every (panel, member, expected kind) a dashboard's queries name. */
function references(dashboard: Dashboard): Array<{ where: string; member: string; kinds: ModelKind[] }> {
  const refs: Array<{ where: string; member: string; kinds: ModelKind[] }> = [];
  for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
    for (const target of panel.targets ?? []) {
      const model = parseQueryModel(target);
      const where = `${dashboard.title} › ${panel.title}`;
      model.measures.forEach((member) => refs.push({ where, member, kinds: ['measure'] }));
      model.dimensions.forEach((member) => refs.push({ where, member, kinds: ['dimension'] }));
      model.segments.forEach((member) => refs.push({ where, member, kinds: ['segment'] }));
      if (model.timeDimension) refs.push({ where, member: model.timeDimension.dimension, kinds: ['time'] });
      model.filters.forEach((f) => refs.push({ where, member: f.member, kinds: ['measure', 'dimension', 'time'] }));
      model.order.forEach((o) => refs.push({ where, member: o.member, kinds: ['measure', 'dimension', 'time'] }));
    }
  }
  for (const variable of dashboard.templating.list) {
    if (variable.type === 'query' && typeof variable.query === 'object' && variable.query.dimension) {
      refs.push({ where: `${dashboard.title} › $${variable.name}`, member: variable.query.dimension, kinds: ['dimension'] });
    }
  }
  return refs;
}

describe.each(files)('dashboard %s', (file) => {
  const dashboard = load(file);

  it('is what scripts/dashboards.ts generates (run it after editing the definitions)', () => {
    expect(fs.readFileSync(path.join(dashboardsDir, file), 'utf8')).toBe(renderDashboard(file));
  });

  it('is included by the app', () => {
    expect(appPlugin.includes).toContainEqual(expect.objectContaining({ type: 'dashboard', path: `dashboards/${file}`, name: dashboard.title }));
  });

  it('names only members that exist in the Cube model, of the right kind', () => {
    const wrong = references(dashboard).filter((r) => !r.kinds.includes(members.get(r.member) as ModelKind));
    expect(wrong.map((r) => `${r.where}: ${r.member} (${members.get(r.member) ?? 'missing'}, expected ${r.kinds.join('/')})`)).toEqual([]);
  });

  it('queries our data source through the tenant variable, with known panel types', () => {
    for (const panel of dashboard.panels) {
      expect(panelTypes, panel.type).toContain(panel.type);
      if (panel.type === 'row') continue;
      expect(panel.datasource).toEqual({ type: CUBE_DS_TYPE, uid: '${datasource}' });
      for (const target of panel.targets ?? []) expect(target.datasource).toEqual(panel.datasource);
    }
  });

  it('orders only by members the query selects, and uses only variables it defines', () => {
    const defined = new Set(dashboard.templating.list.map((v) => v.name));
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        const model = parseQueryModel(target);
        const selected = [...model.measures, ...model.dimensions, model.timeDimension?.dimension];
        model.order.forEach((o) => expect(selected, `${panel.title}: order by ${o.member}`).toContain(o.member));
        const used = [...JSON.stringify(target).matchAll(/\$(\w+)/g)].map((m) => m[1]!);
        used.forEach((name) => expect(defined, `${panel.title}: $${name}`).toContain(name));
      }
    }
  });
});

describe('dashboards together', () => {
  it('have unique uids', () => {
    const uids = files.map((f) => load(f).uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('cover the executive KPIs', () => {
    const measures = new Set(references(load('executive-overview.json')).map((r) => r.member.split('.')[1]));
    for (const kpi of ['nps', 'csat', 'ces', 'churn_rate', 'retention_rate', 'clv', 'conversion_rate', 'bounce_rate', 'stickiness']) expect(measures).toContain(kpi);
  });
});

// Later, CI runs this against a live Cube: CUBE_API_URL=http://localhost:4000/cubejs-api/v1 CUBE_TOKEN=… npm test
const live = process.env.CUBE_API_URL && process.env.CUBE_TOKEN;
describe.skipIf(!live)('dashboards against a live /v1/meta', () => {
  it('name only members the live Cube serves', async () => {
    const response = await fetch(`${process.env.CUBE_API_URL}/meta`, { headers: { Authorization: process.env.CUBE_TOKEN! } });
    const meta = (await response.json()) as { cubes: Array<{ measures: Array<{ name: string }>; dimensions: Array<{ name: string }>; segments: Array<{ name: string }> }> };
    const served = new Set(meta.cubes.flatMap((c) => [...c.measures, ...c.dimensions, ...c.segments].map((m) => m.name)));
    const missing = files.flatMap((f) => references(load(f)).filter((r) => !served.has(r.member)).map((r) => `${r.where}: ${r.member}`));
    expect(missing).toEqual([]);
  });
});
