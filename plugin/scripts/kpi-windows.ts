/**
 * What the dashboards and alert rules need to know about a KPI, read through the contract's
 * model reader: the measure's description, and the window its benchmark is judged on
 * (`meta.benchmark.window`) in the member names of the view (or cube) that is queried. So a
 * panel's or rule's period, fixed filters and text are the model's, not the generator's.
 */
import { windowFilters, type KpiWindow, type WindowFilter } from '@engagement/contract';
import { memberStandingFor, readModel, type Model } from '@engagement/contract/node';

export interface MemberKpi {
  description: string;
  grain: KpiWindow['grain'];
  /** The window's time dimension as the view names it; none for a lifetime KPI. */
  timeDimension?: string;
  filters: WindowFilter[];
}

let model: Model | undefined;

/** The KPI that `member` (view.measure or cube.measure) shows. */
export function kpiOf(member: string): MemberKpi {
  const read = (model ??= readModel());
  const shown = read.members.get(member);
  if (!shown) throw new Error(`${member}: the model has no such member`);
  const kpi = read.kpis.find((k) => k.name === shown.source);
  if (!kpi) throw new Error(`${member}: ${shown.source} is not a KPI of the model`);
  const { window } = kpi.meta.benchmark;
  const named = (own: string) => {
    const found = memberStandingFor(read, shown.owner, `${kpi.cube}.${own}`);
    if (!found) throw new Error(`${member}: ${shown.owner} does not include ${kpi.cube}.${own}, which the KPI's window needs`);
    return found.name;
  };
  if (!kpi.description) throw new Error(`${kpi.name} has no description to show on its panel`);
  return {
    description: kpi.description.trim(),
    grain: window.grain,
    ...(window.time_dimension ? { timeDimension: named(window.time_dimension) } : {}),
    filters: windowFilters(window, named),
  };
}
