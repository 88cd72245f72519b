/** How many problems an import prints before it only counts the rest. */
export const SHOWN_PROBLEMS = 20;

// What is wrong with a file's structure, worded once for both ways a file is read.
export const NOT_UTF8 = 'not UTF-8 text (expected a UTF-8 encoded file: save or export it as UTF-8)';
export const SHORT_ROW =
  'the row has fewer values than the header has columns (expected one value per column): a row cut short, or a file that stops mid-row';
export const LONG_ROW =
  'the row has more values than the header has columns (expected one value per column): a comma in an unquoted value?';
export const UNCLOSED_QUOTE = 'a quoted value is never closed (the file stops in the middle of a row)';

/**
 * How a file's records are counted in its problems: a CSV file's by the line of the file (the
 * header is line 1), a Parquet file's by row (1 for the first; it has no header line).
 */
export type RecordUnit = 'line' | 'row';

/** One thing wrong with an input file, located as precisely as the file allows. */
export interface Problem {
  /** 1-based line of the file (a Parquet file: row); absent for the file as a whole (an empty file). */
  line?: number;
  /** The contract column (or, in a mapping, the source column) the problem is about. */
  column?: string;
  message: string;
}

/** A record's place in words: `line 3`, `row 3`. */
export const recordAt = (unit: RecordUnit, n: number): string => `${unit} ${n}`;

/** `FILE:LINE: column: what is wrong (got …, expected …)`; for a Parquet file `FILE:row N: …`. */
export function formatProblem(file: string, problem: Problem, unit: RecordUnit = 'line'): string {
  const where = problem.line === undefined ? file : unit === 'line' ? `${file}:${problem.line}` : `${file}:row ${problem.line}`;
  return `${where}: ${problem.column ? `${problem.column}: ` : ''}${problem.message}`;
}

/** A quoted sample of a bad value, kept short so a long field does not flood the terminal. */
export function got(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value;
  return JSON.stringify(shown);
}

/** The file is refused: nothing was written. `total` counts every problem, shown or not. */
export class ImportRefused extends Error {
  override name = 'ImportRefused';

  constructor(
    readonly file: string,
    readonly problems: Problem[],
    readonly total: number = problems.length,
    readonly unit: RecordUnit = 'line',
  ) {
    super(describeRefusal(file, problems, total, unit));
  }
}

function describeRefusal(file: string, problems: Problem[], total: number, unit: RecordUnit): string {
  const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => formatProblem(file, p, unit));
  const rest = total - shown.length;
  if (rest > 0) shown.push(`… and ${rest.toLocaleString('en-US')} more problem${rest === 1 ? '' : 's'}.`);
  shown.push(`Nothing was imported from ${file}.`);
  return shown.join('\n');
}
