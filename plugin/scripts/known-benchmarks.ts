/**
 * Writes src/panels/kpi/knownBenchmarks.json from the Cube model in ../schema: the benchmark of
 * every KPI measure by short name, so the KPI panel can band a value that arrives without meta
 * (Grafana's own Cube or PostgreSQL data source). A test fails when the file is out of date.
 *   npx tsx scripts/known-benchmarks.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { kpiMetaSchema, type Benchmark } from '../src/shared/benchmark';

const here = path.dirname(fileURLToPath(import.meta.url));
export const schemaCubesDir = path.resolve(here, '../../schema/cubes');
export const knownBenchmarksFile = path.resolve(here, '../src/panels/kpi/knownBenchmarks.json');

export interface KnownBenchmarks {
  measures: Record<string, { title: string; benchmark: Benchmark }>;
}

interface YamlMeasure {
  name: string;
  title?: string;
  meta?: unknown;
}

export function collectKnownBenchmarks(cubesDir = schemaCubesDir): KnownBenchmarks {
  const measures: KnownBenchmarks['measures'] = {};
  for (const file of fs.readdirSync(cubesDir).filter((f) => f.endsWith('.yml')).sort()) {
    const doc = parse(fs.readFileSync(path.join(cubesDir, file), 'utf8')) as { cubes?: Array<{ name: string; measures?: YamlMeasure[] }> };
    for (const cube of doc.cubes ?? []) {
      for (const measure of cube.measures ?? []) {
        const meta = measure.meta as { kpi?: unknown } | undefined;
        if (!meta?.kpi) continue;
        const { benchmark } = kpiMetaSchema.parse(meta);
        const previous = measures[measure.name];
        if (previous && JSON.stringify(previous.benchmark) !== JSON.stringify(benchmark)) {
          throw new Error(`${cube.name}.${measure.name}: another cube has a measure of that name with a different benchmark`);
        }
        measures[measure.name] = { title: measure.title ?? measure.name, benchmark };
      }
    }
  }
  return { measures };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(knownBenchmarksFile, `${JSON.stringify(collectKnownBenchmarks(), null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), knownBenchmarksFile)}`);
}
