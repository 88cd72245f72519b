import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { kpiMetaSchema, type KpiMeta, type MeasureMeta } from '../benchmark.js';

/**
 * The one reader of the Cube model's YAML (schema/cubes, schema/views) for code that needs the
 * model without a running Cube: the runtime's start-up checks, the report, the plugin's
 * generators and tests. Node only (node:fs): browser code imports the package's main entry.
 */
export const schemaDir = path.resolve(import.meta.dirname, '../../../schema');

export type ModelKind = 'measure' | 'dimension' | 'time' | 'segment';

const yamlMember = z.looseObject({
  name: z.string().min(1),
  type: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  meta: z.unknown().optional(),
});

const yamlCube = z.looseObject({
  name: z.string().min(1),
  /** The cube whose members this one inherits (Cube's `extends`), as funnels extend funnel_engine. */
  extends: z.string().min(1).optional(),
  measures: z.array(yamlMember).default([]),
  dimensions: z.array(yamlMember).default([]),
  segments: z.array(yamlMember).default([]),
});

const yamlView = z.looseObject({
  name: z.string().min(1),
  cubes: z.array(
    z.looseObject({
      join_path: z.string().min(1),
      includes: z.union([z.literal('*'), z.array(z.union([z.string(), z.object({ name: z.string(), alias: z.string().optional() })]))]),
      prefix: z.boolean().optional(),
    }),
  ),
});

const yamlFile = z.looseObject({ cubes: z.array(yamlCube).default([]), views: z.array(yamlView).default([]) });

export interface ModelMember {
  /** Full name, `cube.member` or `view.member`. */
  name: string;
  kind: ModelKind;
  /** The cube or view it belongs to. */
  owner: string;
  /** The cube member it stands for, `cube.member`: itself for a cube's member, the included one for a view's. */
  source: string;
  title?: string;
  description?: string;
  meta?: unknown;
}

/** A KPI measure of a cube: its benchmark (and judging window) from meta, checked by the schema. */
export interface ModelKpi {
  name: string;
  cube: string;
  /** The member's own name, as views and the `metrics` views' columns call it. */
  measure: string;
  title: string;
  description?: string;
  meta: KpiMeta;
}

export interface Model {
  /** Every member of every cube and view, by full name, in file order. */
  members: Map<string, ModelMember>;
  /** Measures of cubes (not views) as the KPI meta check takes them. */
  cubeMeasures: MeasureMeta[];
  /** Cube measures whose meta says `kpi: true`. */
  kpis: ModelKpi[];
}

function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function readFile(file: string): z.infer<typeof yamlFile> {
  const parsed = yamlFile.safeParse(parse(fs.readFileSync(file, 'utf8')) ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

function kindOf(cube: z.infer<typeof yamlCube>, name: string): ModelKind | undefined {
  if (cube.measures.some((m) => m.name === name)) return 'measure';
  const dimension = cube.dimensions.find((d) => d.name === name);
  if (dimension) return dimension.type === 'time' ? 'time' : 'dimension';
  return cube.segments.some((s) => s.name === name) ? 'segment' : undefined;
}

/** The member of `owner` (a view, or a cube itself) that stands for the cube member `source`, if it has one. */
export function memberStandingFor(model: Model, owner: string, source: string): ModelMember | undefined {
  for (const member of model.members.values()) if (member.owner === owner && member.source === source) return member;
  return undefined;
}

type YamlCube = z.infer<typeof yamlCube>;

/** Each cube with the members of the cube it extends (its own win, as in Cube), by name. */
function withInheritedMembers(cubes: Map<string, YamlCube>): Map<string, YamlCube> {
  const resolved = new Map<string, YamlCube>();
  const resolve = (cube: YamlCube, seen: string[]): YamlCube => {
    if (!cube.extends) return cube;
    const parent = cubes.get(cube.extends);
    if (!parent || seen.includes(parent.name)) throw new Error(`cube ${cube.name}: extends unknown or circular cube ${cube.extends}`);
    const base = resolve(parent, [...seen, cube.name]);
    const merge = <T extends { name: string }>(inherited: T[], own: T[]) => [
      ...inherited.filter((m) => !own.some((o) => o.name === m.name)),
      ...own,
    ];
    return {
      ...cube,
      measures: merge(base.measures, cube.measures),
      dimensions: merge(base.dimensions, cube.dimensions),
      segments: merge(base.segments, cube.segments),
    };
  };
  for (const cube of cubes.values()) resolved.set(cube.name, resolve(cube, []));
  return resolved;
}

/** Reads and checks the model; throws naming the file, view or measure that is wrong. */
export function readModel(dir = schemaDir): Model {
  const files = yamlFiles(dir).map(readFile);
  const cubes = withInheritedMembers(new Map(files.flatMap((f) => f.cubes).map((c) => [c.name, c])));
  const members = new Map<string, ModelMember>();
  const add = (owner: string, name: string, kind: ModelKind, cube: string, source: z.infer<typeof yamlMember>) =>
    members.set(`${owner}.${name}`, {
      name: `${owner}.${name}`,
      kind,
      owner,
      source: `${cube}.${source.name}`,
      ...(source.title === undefined ? {} : { title: source.title }),
      ...(source.description === undefined ? {} : { description: source.description }),
      ...(source.meta === undefined ? {} : { meta: source.meta }),
    });

  for (const cube of cubes.values()) {
    for (const m of [...cube.measures, ...cube.dimensions, ...cube.segments]) add(cube.name, m.name, kindOf(cube, m.name)!, cube.name, m);
  }
  for (const view of files.flatMap((f) => f.views)) {
    for (const entry of view.cubes) {
      const cubeName = entry.join_path.split('.').at(-1)!;
      const cube = cubes.get(cubeName);
      if (!cube) throw new Error(`view ${view.name}: unknown cube ${cubeName}`);
      const all = [...cube.measures, ...cube.dimensions, ...cube.segments];
      const includes = entry.includes === '*' ? all.map((m) => m.name) : entry.includes;
      for (const include of includes) {
        const name = typeof include === 'string' ? include : include.name;
        const alias = typeof include === 'string' ? name : (include.alias ?? name);
        const source = all.find((m) => m.name === name);
        if (!source) throw new Error(`view ${view.name}: ${cubeName} has no member ${name}`);
        add(view.name, `${entry.prefix ? `${cubeName}_` : ''}${alias}`, kindOf(cube, name)!, cubeName, source);
      }
    }
  }

  const cubeMeasures = [...cubes.values()].flatMap((cube) => cube.measures.map((m) => ({ name: `${cube.name}.${m.name}`, meta: m.meta })));
  const kpis = [...cubes.values()].flatMap((cube) =>
    cube.measures
      .filter((m) => (m.meta as { kpi?: unknown } | undefined)?.kpi)
      .map((m): ModelKpi => {
        const parsed = kpiMetaSchema.safeParse(m.meta);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new Error(`${cube.name}.${m.name}: meta.${issue.path.join('.') || '(root)'}: ${issue.message}`);
        }
        return {
          name: `${cube.name}.${m.name}`,
          cube: cube.name,
          measure: m.name,
          title: m.title ?? m.name,
          ...(m.description === undefined ? {} : { description: m.description }),
          meta: parsed.data,
        };
      }),
  );
  return { members, cubeMeasures, kpis };
}
