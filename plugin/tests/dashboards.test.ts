import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUBE_DS_TYPE, dashboardsDir, renderDashboard } from '../scripts/dashboards';
import { kpiOf } from '../scripts/kpi-windows';
import { upgradeTarget } from '@engagement/contract';
import { orderMembers } from '../src/datasource/cubeQueryMembers';
import appPlugin from '../src/plugin.json';
import { dashboardFiles as files, loadDashboard as load, references } from './dashboardRefs';
import { modelMembers, type ModelKind } from './model';

const members = modelMembers();
const panelTypes = new Set([
  'row',
  'engagement-kpi-panel',
  'engagement-cohort-panel',
  'engagement-funnel-panel',
  'timeseries',
  'stat',
  'bargauge',
  'table',
]);

describe.each(files)('dashboard %s', (file) => {
  const dashboard = load(file);

  it('is what scripts/dashboards.ts generates (run it after editing the definitions)', () => {
    expect(fs.readFileSync(path.join(dashboardsDir, file), 'utf8')).toBe(renderDashboard(file));
  });

  it('is included by the app', () => {
    expect(appPlugin.includes).toContainEqual(
      expect.objectContaining({ type: 'dashboard', path: `dashboards/${file}`, name: dashboard.title }),
    );
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

  it('shows each KPI over the window the model judges it on, described in the model’s words', () => {
    for (const panel of dashboard.panels.filter((p) => p.type === 'engagement-kpi-panel')) {
      const target = upgradeTarget(panel.targets![0]!);
      const { cubeQuery: q } = target;
      const kpi = kpiOf(q.measures![0]!);
      expect(panel.description, panel.title).toBe(kpi.description);
      expect(q.timeDimensions?.[0]?.granularity, panel.title).toBe(kpi.grain === 'lifetime' ? undefined : kpi.grain);
      expect(q.timeDimensions?.[0]?.dimension, panel.title).toBe(kpi.timeDimension);
      expect(q.filters ?? [], panel.title).toEqual(expect.arrayContaining(kpi.filters));
      // The tile judges the last complete period of its grain, not the one in progress.
      expect(target.periods, panel.title).toBe('complete');
    }
  });

  it('stores every target in version 2, as the backend reads it', () => {
    for (const panel of dashboard.panels)
      for (const target of panel.targets ?? []) expect(target, panel.title).toMatchObject({ version: 2, cubeQuery: expect.any(Object) });
  });

  it('orders only by members the query selects, and uses only variables it defines', () => {
    const defined = new Set(dashboard.templating.list.map((v) => v.name));
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        const { cubeQuery: q } = upgradeTarget(target);
        const selected = [...(q.measures ?? []), ...(q.dimensions ?? []), ...(q.timeDimensions ?? []).map((td) => td.dimension)];
        orderMembers(q.order).forEach((member) => expect(selected, `${panel.title}: order by ${member}`).toContain(member));
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
    for (const kpi of ['nps', 'csat', 'ces', 'churn_rate', 'retention_rate', 'clv', 'conversion_rate', 'bounce_rate', 'stickiness'])
      expect(measures).toContain(kpi);
  });
});
