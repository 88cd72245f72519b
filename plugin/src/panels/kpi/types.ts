import { defaultBenchmarkOptions, type BenchmarkOptions } from '../../shared/resolveBenchmark';

export type { Direction } from '../../shared/resolveBenchmark';

export interface KpiOptions extends BenchmarkOptions {
  layout: 'compact' | 'large';
  showSparkline: boolean;
  showChange: boolean;
}

export const defaultKpiOptions: KpiOptions = {
  ...defaultBenchmarkOptions,
  layout: 'large',
  showSparkline: true,
  showChange: true,
};
