import { DateTime } from 'luxon';
import { requiredColumns, TENANT_COLUMN, type Column, type TableShape } from './catalog.js';
import { MappingError, type ColumnSpec, type Mapping } from './mapping.js';
import { got, ImportRefused, type Problem } from './problems.js';

/** What one row's problem-free values are, or what was wrong with them. */
export type Cell = string | null;

/** How a file's rows become rows of the table: the columns written, and the row transform. */
export interface ImportPlan {
  columns: Column[];
  /** Every source column the rows are made from; the file's other columns are not read. */
  reads: string[];
  /**
   * Source columns whose value becomes a table column's value as it is (no value map, no date
   * format): a typed source (Parquet) must hold that column's kind of value.
   */
  copies: { source: string; column: Column }[];
  /** The row's contract values (null for empty); problems are pushed with the line. */
  transform(values: string[], line: number, problems: Problem[]): Cell[];
}

type Fill = (values: string[], line: number, problems: Problem[]) => Cell;

/** A file's column names, and the line they are on (a CSV header's; none for a Parquet schema). */
export interface Header {
  names: string[];
  line?: number;
}

/**
 * Matches a file's header to a table: without a mapping every header is a contract column;
 * with one, the mapping names how each contract column is made, and other headers must be
 * contract columns or listed under `ignore`.
 */
export function planImport(file: string, shape: TableShape, header: Header, mapping?: { file: string; mapping: Mapping }): ImportPlan {
  const at = header.line === undefined ? {} : { line: header.line };
  const byName = new Map(shape.columns.map((c) => [c.name, c]));
  const known = shape.columns.filter((c) => c.name !== TENANT_COLUMN).map((c) => c.name);
  const problems: Problem[] = [];
  const position = new Map<string, number>();
  header.names.forEach((name, i) => {
    if (position.has(name)) problems.push({ ...at, column: name, message: 'the header names this column twice' });
    else position.set(name, i);
  });

  const specs = Object.entries(mapping?.mapping.columns ?? {});
  for (const [name] of specs) {
    if (!byName.has(name) || name === TENANT_COLUMN) {
      throw new MappingError(
        `${mapping!.file}: columns.${name}: ${name === TENANT_COLUMN ? 'the tenant comes from --tenant, not the mapping' : `not a column of ${shape.name}`} (expected one of: ${known.join(', ')})`,
      );
    }
  }
  const consumed = new Set([...(mapping?.mapping.ignore ?? []), ...specs.flatMap(([, spec]) => sourceColumnsOf(spec))]);
  for (const used of consumed) {
    if (!position.has(used) && !mapping!.mapping.ignore.includes(used)) {
      const field = specs.find(([, spec]) => sourceColumnsOf(spec).includes(used))![0];
      problems.push({ ...at, column: used, message: `no such column in the file (the mapping's columns.${field} reads it)` });
    }
  }

  const fills = new Map<string, Fill>();
  const copies: ImportPlan['copies'] = [];
  for (const [name, spec] of specs) {
    fills.set(name, fillFromSpec(byName.get(name)!, spec, position));
    if (spec.from !== undefined && !spec.values && !spec.format) copies.push({ source: spec.from, column: byName.get(name)! });
  }
  for (const [name, i] of position) {
    if (consumed.has(name)) continue;
    if (name === TENANT_COLUMN) {
      problems.push({ ...at, column: name, message: 'the tenant comes from --tenant, not the file (drop this column)' });
    } else if (!byName.has(name)) {
      problems.push({
        ...at,
        column: name,
        message: `unknown column (expected one of: ${known.join(', ')}${mapping ? '; or map or ignore it in the mapping' : ''})`,
      });
    } else if (!fills.has(name)) {
      fills.set(name, (values) => values[i] || null);
      copies.push({ source: name, column: byName.get(name)! });
    }
  }
  for (const column of requiredColumns(shape)) {
    if (!fills.has(column.name)) {
      problems.push({
        ...at,
        column: column.name,
        message: `missing required column (expected a column named ${column.name}${mapping ? ' or a mapping for it' : ''})`,
      });
    }
  }
  if (problems.length) throw new ImportRefused(file, problems);

  const columns = [...fills.keys()].map((name) => byName.get(name)!);
  const steps = [...fills.values()];
  const reads = new Set([...specs.flatMap(([, spec]) => sourceColumnsOf(spec)), ...copies.map((c) => c.source)]);
  return {
    columns,
    reads: [...reads],
    copies,
    transform: (values, line, rowProblems) => steps.map((fill) => fill(values, line, rowProblems)),
  };
}

function sourceColumnsOf(spec: ColumnSpec): string[] {
  const own = spec.from !== undefined ? [spec.from] : [];
  const months = spec.months_before ? [spec.months_before.date, spec.months_before.months] : [];
  const when = spec.when ? [spec.when.column] : [];
  return [...own, ...months, ...when];
}

function fillFromSpec(column: Column, full: ColumnSpec, position: Map<string, number>): Fill {
  const asDate = column.category === 'D' ? dateWriter(column, full.format, full.timezone) : undefined;
  const read = (values: string[], line: number, problems: Problem[], source: string): Cell => {
    const raw = values[position.get(source)!] || null;
    if (raw === null) return null;
    let value: Cell = raw;
    if (full.values) {
      if (!(raw in full.values)) {
        problems.push({
          line,
          column: column.name,
          message: `"${source}" has a value the mapping's values do not list (got ${got(raw)}, expected one of: ${Object.keys(full.values).join(', ')})`,
        });
        return null;
      }
      const mapped = full.values[raw];
      value = mapped === null || mapped === undefined ? null : String(mapped);
    }
    if (value !== null && asDate) return asDate(value, line, problems, source);
    return value;
  };
  const condition = full.when;
  const passes = condition ? (values: string[]) => condition.equals.includes(values[position.get(condition.column)!] ?? '') : () => true;

  if (full.constant !== undefined) {
    const constant = String(full.constant);
    return () => constant;
  }
  if (full.months_before) {
    const { date, months } = full.months_before;
    const zone = full.timezone ?? 'UTC';
    return (values, line, problems) => {
      if (!passes(values)) return null;
      const at = parseDate(values[position.get(date)!] ?? '', full.format, zone);
      const n = values[position.get(months)!] ?? '';
      if (!at) {
        problems.push({
          line,
          column: column.name,
          message: `"${date}" is not a date (got ${got(values[position.get(date)!] ?? '')}, expected ${formatName(full.format)})`,
        });
        return null;
      }
      if (!/^\d+$/.test(n)) {
        problems.push({
          line,
          column: column.name,
          message: `"${months}" is not a whole number of months (got ${got(n)}, expected e.g. 12)`,
        });
        return null;
      }
      return writeDate(column, at.minus({ months: Number(n) }));
    };
  }
  return (values, line, problems) => (passes(values) ? read(values, line, problems, full.from!) : null);
}

type DateWriter = (value: string, line: number, problems: Problem[], source: string) => Cell;

/** Source dates to the contract's ISO 8601, read with the mapping's format and zone. */
function dateWriter(column: Column, format: string | undefined, zone: string | undefined): DateWriter | undefined {
  if (!format && !zone) return undefined;
  return (value, line, problems, source) => {
    const at = parseDate(value, format, zone ?? 'UTC');
    if (!at) {
      problems.push({
        line,
        column: column.name,
        message: `"${source}" is not a date (got ${got(value)}, expected ${formatName(format)})`,
      });
      return null;
    }
    return writeDate(column, at);
  };
}

function parseDate(value: string, format: string | undefined, zone: string): DateTime | undefined {
  const at = format ? DateTime.fromFormat(value, format, { zone }) : DateTime.fromISO(value, { zone });
  return at.isValid ? at : undefined;
}

function writeDate(column: Column, at: DateTime): string {
  return column.baseType === 'date' ? at.toISODate()! : at.toUTC().toISO()!;
}

function formatName(format: string | undefined): string {
  return format ? `a date as ${format}` : 'an ISO 8601 date';
}
