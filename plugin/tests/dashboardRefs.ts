import fs from 'node:fs';
import path from 'node:path';
import { dashboards, dashboardsDir } from '../scripts/dashboards';
import { parseQueryModel } from '../src/datasource/types';
import type { ModelKind } from './model';

interface Panel {
  type: string;
  title: string;
  description?: string;
  datasource?: { type: string; uid: string };
  targets?: Array<Record<string, unknown>>;
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query?: { dimension?: string } | string;
}
export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
}

export interface MemberReference {
  /** "Dashboard › Panel" or "Dashboard › $variable". */
  where: string;
  member: string;
  kinds: ModelKind[];
}

export const dashboardFiles = Object.keys(dashboards);
export const loadDashboard = (file: string) => JSON.parse(fs.readFileSync(path.join(dashboardsDir, file), 'utf8')) as Dashboard;

/** Every (panel, member, expected kind) a dashboard's queries and variables name. */
export function references(dashboard: Dashboard): MemberReference[] {
  const refs: MemberReference[] = [];
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
