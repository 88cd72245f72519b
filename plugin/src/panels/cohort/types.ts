export interface CohortOptions {
  /** Field names; empty picks by type and name (time or text → cohort, "month"/"period" number → age). */
  cohortField: string;
  periodField: string;
  valueField: string;
  /** scale: shade by value; benchmark: colour by the value field's benchmark bands. */
  colorMode: 'scale' | 'benchmark';
}

export const defaultCohortOptions: CohortOptions = { cohortField: '', periodField: '', valueField: '', colorMode: 'scale' };
