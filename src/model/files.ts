import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { MeasureMeta } from './benchmark.js';

export const schemaDir = path.resolve(import.meta.dirname, '../../schema');

interface YamlMember {
  name: string;
  meta?: unknown;
}

interface YamlModelFile {
  cubes?: { name: string; measures?: YamlMember[]; dimensions?: YamlMember[] }[];
  views?: { name: string }[];
}

async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Every cube's measures, read straight from the YAML files (no Cube needed). */
export async function readModelMeasures(dir = schemaDir): Promise<MeasureMeta[]> {
  const files = await Promise.all((await yamlFiles(dir)).map(async (f) => parse(await fs.readFile(f, 'utf8')) as YamlModelFile));
  return files.flatMap((file) =>
    (file.cubes ?? []).flatMap((cube) => (cube.measures ?? []).map((m) => ({ name: `${cube.name}.${m.name}`, meta: m.meta }))),
  );
}
