/**
 * Writes src/shared/knownBenchmarks.json from the Cube model in ../schema: the benchmark of
 * every KPI measure by short name, so the KPI panel can band a value that arrives without meta
 * (Grafana's own Cube or PostgreSQL data source). A test fails when the file is out of date.
 *   npx tsx scripts/known-benchmarks.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readModel } from '@engagement/contract/node';
import type { Benchmark } from '../src/shared/benchmark';

const here = path.dirname(fileURLToPath(import.meta.url));
export const knownBenchmarksFile = path.resolve(here, '../src/shared/knownBenchmarks.json');

export interface KnownBenchmarks {
  measures: Record<string, { title: string; benchmark: Benchmark }>;
}

/** The benchmark of every KPI measure of the model's cubes, by the measure's own name. */
export function collectKnownBenchmarks(): KnownBenchmarks {
  const measures: KnownBenchmarks['measures'] = {};
  for (const kpi of readModel().kpis) {
    const { benchmark } = kpi.meta;
    const previous = measures[kpi.measure];
    if (previous && JSON.stringify(previous.benchmark) !== JSON.stringify(benchmark)) {
      throw new Error(`${kpi.name}: another cube has a measure of that name with a different benchmark`);
    }
    measures[kpi.measure] = { title: kpi.title, benchmark };
  }
  return { measures };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(knownBenchmarksFile, `${JSON.stringify(collectKnownBenchmarks(), null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), knownBenchmarksFile)}`);
}
