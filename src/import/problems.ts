/** How many problems an import prints before it only counts the rest. */
export const SHOWN_PROBLEMS = 20;

// What is wrong with a file's structure, worded once for both ways a file is read.
export const NOT_UTF8 = 'not UTF-8 text (expected a UTF-8 encoded file: save or export it as UTF-8)';
export const SHORT_ROW =
  'the row has fewer values than the header has columns (expected one value per column): a row cut short, or a file that stops mid-row';
export const LONG_ROW =
  'the row has more values than the header has columns (expected one value per column): a comma in an unquoted value?';
export const UNCLOSED_QUOTE = 'a quoted value is never closed (the file stops in the middle of a row)';

/** One thing wrong with an input file, located as precisely as the file allows. */
export interface Problem {
  /** 1-based line of the file; absent for the file as a whole (an empty file). */
  line?: number;
  /** The contract column (or, in a mapping, the source column) the problem is about. */
  column?: string;
  message: string;
}

/** `FILE:LINE: column: what is wrong (got …, expected …)` */
export function formatProblem(file: string, problem: Problem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}`;
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
  ) {
    super(describeRefusal(file, problems, total));
  }
}

function describeRefusal(file: string, problems: Problem[], total: number): string {
  const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => formatProblem(file, p));
  const rest = total - shown.length;
  if (rest > 0) shown.push(`… and ${rest.toLocaleString('en-US')} more problem${rest === 1 ? '' : 's'}.`);
  shown.push(`Nothing was imported from ${file}.`);
  return shown.join('\n');
}
