/**
 * What the dashboards and alert rules need to know about a KPI, read from the Cube model in
 * ../schema: the measure's description, and the window its benchmark is judged on
 * (`meta.benchmark.window`) in the member names of the view (or cube) that is queried. So a
 * panel's or rule's period, fixed filters and text are the model's, not the generator's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { kpiMetaSchema } from '../src/shared/benchmark';

const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema');

type KpiWindow = ReturnType<typeof kpiMetaSchema.parse>['benchmark']['window'];

interface YamlMember {
  name: string;
  description?: string;
  meta?: unknown;
}
interface YamlCube {
  name: string;
  measures?: YamlMember[];
}
interface YamlView {
  name: string;
  cubes: Array<{ join_path: string; includes: '*' | Array<string | { name: string; alias?: string }>; prefix?: boolean }>;
}

export interface MemberKpi {
  description: string;
  grain: KpiWindow['grain'];
  /** The window's time dimension as the view names it; none for a lifetime KPI. */
  timeDimension?: string;
  filters: Array<{ member: string; operator: 'equals'; values: string[] }>;
}

function readAll<T>(dir: string, key: 'cubes' | 'views'): T[] {
  return fs
    .readdirSync(path.join(schemaDir, dir))
    .filter((f) => f.endsWith('.yml'))
    .flatMap((f) => (parse(fs.readFileSync(path.join(schemaDir, dir, f), 'utf8')) as Record<string, T[]>)[key] ?? []);
}

/** The view's name for a member of one of its cubes, if the view includes it. */
function viewName(view: YamlView, cube: string, member: string): string | undefined {
  for (const entry of view.cubes.filter((e) => e.join_path.split('.').at(-1) === cube)) {
    const prefix = entry.prefix ? `${cube}_` : '';
    if (entry.includes === '*') return `${view.name}.${prefix}${member}`;
    for (const include of entry.includes) {
      if (typeof include === 'string' ? include === member : include.name === member) {
        return `${view.name}.${prefix}${typeof include === 'string' ? include : (include.alias ?? include.name)}`;
      }
    }
  }
  return undefined;
}

/** The cube and cube member a view (or cube) member stands for. */
function source(member: string, views: YamlView[]): { cube: string; name: string; view?: YamlView } {
  const [owner, name] = member.split('.') as [string, string];
  const view = views.find((v) => v.name === owner);
  if (!view) return { cube: owner, name };
  for (const entry of view.cubes) {
    const cube = entry.join_path.split('.').at(-1)!;
    const own = entry.prefix && name.startsWith(`${cube}_`) ? name.slice(cube.length + 1) : name;
    if (viewName(view, cube, own) === member) return { cube, name: own, view };
  }
  throw new Error(`view ${owner} has no member ${name}`);
}

let model: { cubes: YamlCube[]; views: YamlView[] } | undefined;

/** The KPI that `member` (view.measure or cube.measure) shows. */
export function kpiOf(member: string): MemberKpi {
  model ??= { cubes: readAll<YamlCube>('cubes', 'cubes'), views: readAll<YamlView>('views', 'views') };
  const { cube, name, view } = source(member, model.views);
  const measure = model.cubes
    .find((c) => c.name === cube)
    ?.measures?.find((m) => m.name === name);
  if (!measure) throw new Error(`${member}: the model has no measure ${cube}.${name}`);
  const { window } = kpiMetaSchema.parse(measure.meta).benchmark;
  const named = (own: string) => {
    const full = view ? viewName(view, cube, own) : `${cube}.${own}`;
    if (!full) throw new Error(`${member}: view ${view!.name} does not include ${cube}.${own}, which the KPI's window needs`);
    return full;
  };
  if (!measure.description) throw new Error(`${cube}.${name} has no description to show on its panel`);
  return {
    description: measure.description.trim(),
    grain: window.grain,
    ...(window.time_dimension ? { timeDimension: named(window.time_dimension) } : {}),
    filters: [
      ...(window.filters ?? []).map((f) => ({ member: named(f.dimension), operator: 'equals' as const, values: f.equals })),
      ...(window.cohort_age ? [{ member: named(window.cohort_age.dimension), operator: 'equals' as const, values: [String(window.cohort_age.periods)] }] : []),
    ],
  };
}
