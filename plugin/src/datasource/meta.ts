import { memberTitle, metaResponseSchema, type CubeMember, type KpiNeed } from '@engagement/contract';
import { kpiMetaSchema, type Benchmark } from '../shared/benchmark';

export type MemberKind = 'measure' | 'dimension' | 'timeDimension' | 'segment';

export interface MemberInfo {
  name: string;
  kind: MemberKind;
  /** The member's own title ("Bounce rate"), without the cube's. */
  title: string;
  description?: string;
  /** Cube type: number, string, time, boolean, count, sum, … */
  type: string;
  format?: string;
  /** The cube or view the member belongs to, by title: the group it is listed under. */
  group: string;
  benchmark?: Benchmark;
  /** Data the KPI is built on that a tenant may lack (meta.needs). */
  needs?: KpiNeed[];
  /** Why a KPI measure's benchmark meta was ignored (it did not match the schema). */
  benchmarkIssue?: string;
}

export interface Catalog {
  members: Map<string, MemberInfo>;
  /** Views first (they are the curated surface), then cubes; each in Cube's order. */
  list(kind: MemberKind | MemberKind[]): MemberInfo[];
  get(name: string): MemberInfo | undefined;
  /** A cube's or view's own meta (a funnel's window and steps), by name. */
  cubeMeta(name: string): unknown;
}

/** Parses a /v1/meta answer into a catalog of visible members with their benchmarks. */
export function buildCatalog(response: unknown): Catalog {
  const parsed = metaResponseSchema.safeParse(response);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Unexpected /v1/meta answer from Cube: ${issue.path.join('.')}: ${issue.message}`);
  }
  const cubes = [...parsed.data.cubes].sort((a, b) => Number(b.type === 'view') - Number(a.type === 'view'));
  const members = new Map<string, MemberInfo>();
  const cubeMeta = new Map(cubes.map((cube) => [cube.name, cube.meta]));
  for (const cube of cubes) {
    const group = cube.title ?? cube.name;
    const add = (member: CubeMember, kind: MemberKind) => {
      if (member.isVisible === false) return;
      members.set(member.name, { ...describe(member, group), kind });
    };
    cube.measures.forEach((m) => add(m, 'measure'));
    cube.dimensions.forEach((d) => add(d, d.type === 'time' ? 'timeDimension' : 'dimension'));
    cube.segments.forEach((s) => add(s, 'segment'));
  }
  return {
    members,
    get: (name) => members.get(name),
    cubeMeta: (name) => cubeMeta.get(name),
    list: (kind) => {
      const kinds = Array.isArray(kind) ? kind : [kind];
      return [...members.values()].filter((m) => kinds.includes(m.kind));
    },
  };
}

function describe(member: CubeMember, group: string): Omit<MemberInfo, 'kind'> {
  const info: Omit<MemberInfo, 'kind'> = {
    name: member.name,
    title: memberTitle(member),
    type: member.type,
    group,
    ...(member.description ? { description: member.description } : {}),
    ...(typeof member.format === 'string' ? { format: member.format } : {}),
  };
  return { ...info, ...benchmarkOf(member.name, member.meta) };
}

/** The benchmark of a KPI measure's meta, or why it was ignored. */
export function benchmarkOf(name: string, meta: unknown): Pick<MemberInfo, 'benchmark' | 'needs' | 'benchmarkIssue'> {
  if (!meta || typeof meta !== 'object' || !('benchmark' in meta)) return {};
  const parsed = kpiMetaSchema.safeParse(meta);
  if (parsed.success) return { benchmark: parsed.data.benchmark, ...(parsed.data.needs ? { needs: parsed.data.needs } : {}) };
  const issue = parsed.error.issues[0]!;
  return { benchmarkIssue: `${name}: meta.${issue.path.join('.')}: ${issue.message}` };
}

/** The cube or view a member belongs to: the part before the first dot. */
export function cubeOf(member: string): string {
  return member.split('.')[0] ?? member;
}
