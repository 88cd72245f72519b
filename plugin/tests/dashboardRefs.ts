import fs from 'node:fs';
import path from 'node:path';
import { dashboards, dashboardsDir } from '../scripts/dashboards';
import { upgradeTarget } from '@engagement/contract';
import { filterMember, leafFilters, orderMembers } from '../src/datasource/cubeQueryMembers';
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
      const { cubeQuery: q } = upgradeTarget(target);
      const where = `${dashboard.title} › ${panel.title}`;
      const any: ModelKind[] = ['measure', 'dimension', 'time'];
      q.measures?.forEach((member) => refs.push({ where, member, kinds: ['measure'] }));
      q.dimensions?.forEach((member) => refs.push({ where, member, kinds: ['dimension'] }));
      q.segments?.forEach((member) => refs.push({ where, member, kinds: ['segment'] }));
      q.timeDimensions?.forEach((td) => refs.push({ where, member: td.dimension, kinds: ['time'] }));
      leafFilters(q.filters).forEach((f) => refs.push({ where, member: filterMember(f), kinds: any }));
      orderMembers(q.order).forEach((member) => refs.push({ where, member, kinds: any }));
    }
  }
  for (const variable of dashboard.templating.list) {
    if (variable.type === 'query' && typeof variable.query === 'object' && variable.query.dimension) {
      refs.push({ where: `${dashboard.title} › $${variable.name}`, member: variable.query.dimension, kinds: ['dimension'] });
    }
  }
  return refs;
}
