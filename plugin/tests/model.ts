import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export type ModelKind = 'measure' | 'dimension' | 'time' | 'segment';

const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema');

interface YamlMember {
  name: string;
  type?: string;
}
interface YamlCube {
  name: string;
  measures?: YamlMember[];
  dimensions?: YamlMember[];
  segments?: YamlMember[];
}
interface YamlView {
  name: string;
  cubes: Array<{ join_path: string; includes: '*' | Array<string | { name: string; alias?: string }>; prefix?: boolean }>;
}

function readAll<T>(dir: string, key: 'cubes' | 'views'): T[] {
  return fs
    .readdirSync(path.join(schemaDir, dir))
    .filter((f) => f.endsWith('.yml'))
    .flatMap((f) => ((parse(fs.readFileSync(path.join(schemaDir, dir, f), 'utf8')) as Record<string, T[]>)[key] ?? []));
}

/** Every member of the model's cubes and views, by full name, with its kind: read from schema/ YAML. */
export function modelMembers(): Map<string, ModelKind> {
  const cubes = new Map(readAll<YamlCube>('cubes', 'cubes').map((c) => [c.name, c]));
  const kinds = new Map<string, ModelKind>();
  const kindIn = (cube: YamlCube, name: string): ModelKind | undefined => {
    if (cube.measures?.some((m) => m.name === name)) return 'measure';
    const dimension = cube.dimensions?.find((d) => d.name === name);
    if (dimension) return dimension.type === 'time' ? 'time' : 'dimension';
    return cube.segments?.some((s) => s.name === name) ? 'segment' : undefined;
  };
  for (const cube of cubes.values()) {
    for (const m of [...(cube.measures ?? []), ...(cube.dimensions ?? []), ...(cube.segments ?? [])]) kinds.set(`${cube.name}.${m.name}`, kindIn(cube, m.name)!);
  }
  for (const view of readAll<YamlView>('views', 'views')) {
    for (const entry of view.cubes) {
      const cubeName = entry.join_path.split('.').at(-1)!;
      const cube = cubes.get(cubeName);
      if (!cube) throw new Error(`view ${view.name}: unknown cube ${cubeName}`);
      const includes = entry.includes === '*' ? [...(cube.measures ?? []), ...(cube.dimensions ?? []), ...(cube.segments ?? [])].map((m) => m.name) : entry.includes;
      for (const include of includes) {
        const name = typeof include === 'string' ? include : include.name;
        const alias = typeof include === 'string' ? name : (include.alias ?? name);
        const kind = kindIn(cube, name);
        if (!kind) throw new Error(`view ${view.name}: ${cubeName} has no member ${name}`);
        kinds.set(`${view.name}.${entry.prefix ? `${cubeName}_` : ''}${alias}`, kind);
      }
    }
  }
  return kinds;
}
