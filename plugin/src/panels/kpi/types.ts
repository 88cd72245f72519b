export type Direction = 'higher_is_better' | 'lower_is_better';

export interface KpiOptions {
  /** meta: the field's benchmark, else its thresholds, else a recognised measure, else the cut-offs below. panel: the cut-offs below only. */
  bandsFrom: 'meta' | 'panel';
  /** Band edges, ascending, comma-separated, e.g. "0, 20, 50" for four bands. */
  cutoffs: string;
  /** For the cut-offs, and for thresholds that carry no direction. */
  direction: Direction;
  layout: 'compact' | 'large';
  showSparkline: boolean;
  showChange: boolean;
}

export const defaultKpiOptions: KpiOptions = {
  bandsFrom: 'meta',
  cutoffs: '',
  direction: 'higher_is_better',
  layout: 'large',
  showSparkline: true,
  showChange: true,
};
