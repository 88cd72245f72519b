import type { Population } from './population.js';

/** Where a generator puts one table's rows: lines of PostgreSQL's COPY text format. */
export interface TableSink {
  /**
   * The table's next id within a tenant: "1", "2", … in generation order, counted per tenant as a
   * source would. With `of`, another table's: a pass that replays that table's rows in its order
   * (the events of each web session, the purchase of each order) numbers them as it did.
   */
  nextId(tenantId: string, of?: string): string;
  /** One row: values separated by tabs, `\N` for NULL, ending in a newline. */
  push(row: string): void;
}

/** One pass over a table: its rows come in units of work (a customer, a visitor, a campaign). */
export interface TablePass {
  units: number;
  write(unit: number, sink: TableSink): void;
}

export interface TableSource {
  table: string;
  /** Columns in the order each row lists them. */
  columns: readonly string[];
  open(population: Population): TablePass;
}

/** COPY's text format for NULL. */
export const NULL = '\\N';

/** Values with a fixed number of decimals print as PostgreSQL numeric input. */
export const money = (value: number): string => value.toFixed(2);
