import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetScan,
  parquetSchema,
  type AsyncBuffer,
  type ColumnChunk,
  type FileMetaData,
  type ParquetScan,
  type SchemaElement,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { Column } from './catalog.js';
import { got, ImportRefused, NOT_UTF8, type Problem } from './problems.js';

/** What a Parquet column holds, as far as the contract cares. */
type Kind = 'integer' | 'decimal' | 'float' | 'boolean' | 'string' | 'date' | 'timestamp' | 'json';

export interface ParquetColumn {
  name: string;
  /** The Parquet type as a reader of the file's schema would say it, e.g. `INT64 (TIMESTAMP(MICROS, UTC))`. */
  parquetType: string;
  /** Undefined for a type no table column takes (nested, time of day, binary, interval, geometry). */
  kind?: Kind;
  /** A timestamp without a zone (isAdjustedToUTC false): a wall-clock time, written without an offset. */
  local?: boolean;
  /** DECIMAL's scale: its unscaled integers are read and written out exactly. */
  scale?: number;
  /** Plain BYTE_ARRAY without a string annotation: decoded as UTF-8 here, so a bad byte is named. */
  bytes?: boolean;
}

/** A value of one column turned into the contract's text form, or a problem. */
type ToText = (value: unknown) => string;

class BadValue extends Error {}

const NOT_PARQUET =
  'not a Parquet file (expected a file written by a Parquet writer; a CSV file should be named .csv or given --format csv)';

/** Kinds each table column takes, by the column's base type or category, and the words for them. */
function accepted(column: Column): { kinds: Kind[]; words: string } {
  if (['int2', 'int4', 'int8'].includes(column.baseType))
    return { kinds: ['integer', 'decimal', 'float', 'string'], words: 'an INT32, INT64, DECIMAL, DOUBLE or STRING column' };
  if (column.category === 'N')
    return { kinds: ['integer', 'decimal', 'float', 'string'], words: 'a DOUBLE, DECIMAL, INT32, INT64 or STRING column' };
  if (column.baseType === 'date') return { kinds: ['date', 'timestamp', 'string'], words: 'a DATE, TIMESTAMP or STRING column' };
  if (column.category === 'D') return { kinds: ['timestamp', 'date', 'string'], words: 'a TIMESTAMP, DATE or STRING column' };
  if (column.category === 'B') return { kinds: ['boolean', 'string'], words: 'a BOOLEAN or STRING column' };
  if (column.baseType === 'jsonb' || column.baseType === 'json') return { kinds: ['json', 'string'], words: 'a JSON or STRING column' };
  // Text: ids are often integers in a source (an INT64 id becomes its decimal digits).
  return { kinds: ['string', 'integer'], words: 'a STRING, INT32 or INT64 column' };
}

function describeType(element: SchemaElement, nested: boolean): string {
  const logical = element.logical_type;
  let annotation: string | undefined;
  if (logical?.type === 'TIMESTAMP' || logical?.type === 'TIME') {
    annotation = `${logical.type}(${logical.unit}, ${logical.isAdjustedToUTC ? 'UTC' : 'local'})`;
  } else if (logical?.type === 'DECIMAL' || element.converted_type === 'DECIMAL') {
    annotation = `DECIMAL(${element.precision ?? '?'},${element.scale ?? 0})`;
  } else if (logical?.type === 'INTEGER') {
    annotation = `INTEGER(${logical.bitWidth}, ${logical.isSigned ? 'signed' : 'unsigned'})`;
  } else {
    annotation = logical?.type ?? element.converted_type;
  }
  const physical = nested ? 'group' : (element.type ?? 'group');
  return annotation ? `${physical} (${annotation})` : physical;
}

function classify(element: SchemaElement, nested: boolean): Omit<ParquetColumn, 'name' | 'parquetType'> {
  if (nested || element.repetition_type === 'REPEATED') return {};
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (logical === 'DECIMAL' || converted === 'DECIMAL') return { kind: 'decimal', scale: element.scale ?? 0 };
  if (logical === 'DATE' || converted === 'DATE') return { kind: 'date' };
  if (element.logical_type?.type === 'TIMESTAMP') return { kind: 'timestamp', local: !element.logical_type.isAdjustedToUTC };
  // The legacy annotations and INT96 (Spark, Impala) are instants in UTC.
  if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS' || (element.type === 'INT96' && !converted))
    return { kind: 'timestamp' };
  if (logical === 'JSON' || converted === 'JSON') return { kind: 'json' };
  if (logical === 'STRING' || logical === 'UUID' || converted === 'UTF8') return { kind: 'string' };
  if (logical === 'ENUM' || converted === 'ENUM') return { kind: 'string', bytes: true };
  // A column of nulls only (pyarrow's null type): empty, whatever the table column.
  if (logical === 'NULL') return { kind: 'string' };
  if (logical === 'FLOAT16') return { kind: 'float' };
  if (logical === 'INTEGER') return { kind: 'integer' };
  if (logical || (converted && !converted.startsWith('INT_') && !converted.startsWith('UINT_'))) return {};
  switch (element.type) {
    case 'INT32':
    case 'INT64':
      return { kind: 'integer' };
    case 'FLOAT':
    case 'DOUBLE':
      return { kind: 'float' };
    case 'BOOLEAN':
      return { kind: 'boolean' };
    case 'BYTE_ARRAY':
      return { kind: 'string', bytes: true };
    default:
      return {};
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** Marks a string that is not UTF-8, so the row and column can be named. */
const NOT_TEXT = Symbol('not UTF-8');

function decodeUtf8(bytes: Uint8Array): string | typeof NOT_TEXT {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return NOT_TEXT;
  }
}

/** `count` units since 1970 as ISO 8601 in UTC, every digit of the fraction kept (PostgreSQL rounds to microseconds). */
function isoInstant(count: bigint, perMilli: number, digits: number): string {
  // Within 2^53 (micros until 2255, nanos until 2255 too after dividing): plain numbers, far cheaper than bigint.
  const n = Number(count);
  if (Number.isSafeInteger(n)) {
    const millis = Math.floor(n / perMilli);
    const at = new Date(millis);
    if (Number.isNaN(at.getTime())) return String(count);
    const iso = at.toISOString();
    if (digits === 0) return iso;
    return `${iso.slice(0, -1)}${String(n - millis * perMilli).padStart(digits, '0')}Z`;
  }
  const unit = BigInt(perMilli);
  let millis = count / unit;
  let rest = count % unit;
  if (rest < 0n) {
    rest += unit;
    millis -= 1n;
  }
  const at = new Date(Number(millis));
  // Outside JavaScript's dates (±275,760 years): the number itself, which no column takes.
  if (Number.isNaN(at.getTime())) return String(count);
  return digits === 0 ? at.toISOString() : `${at.toISOString().slice(0, -1)}${rest.toString().padStart(digits, '0')}Z`;
}

/** hyparquet's converters, returning the contract's text forms directly (and exactly: no Date in between). */
const parsers = {
  timestampFromMilliseconds: (millis: bigint) => isoInstant(BigInt(millis), 1, 0),
  timestampFromMicroseconds: (micros: bigint) => isoInstant(BigInt(micros), 1_000, 3),
  timestampFromNanoseconds: (nanos: bigint) => isoInstant(BigInt(nanos), 1_000_000, 6),
  dateFromDays: (days: number) => isoInstant(BigInt(days) * 86_400_000n, 1, 0).slice(0, 10),
  stringFromBytes: (bytes: Uint8Array | undefined) => bytes && decodeUtf8(bytes),
};

/** An unscaled DECIMAL (an INT32, INT64 or big-endian two's complement bytes) as exact decimal text. */
function decimalText(raw: unknown, scale: number): string {
  let unscaled: bigint;
  if (raw instanceof Uint8Array) {
    unscaled = 0n;
    for (const byte of raw) unscaled = (unscaled << 8n) | BigInt(byte);
    if (raw.length > 0 && raw[0]! >= 0x80) unscaled -= 1n << BigInt(raw.length * 8);
  } else {
    unscaled = BigInt(raw as number | bigint);
  }
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function toTextFor(column: ParquetColumn, target: Column | undefined): ToText {
  const missing = (value: unknown) => value === null || value === undefined;
  const text = (value: unknown): string => {
    if (value === NOT_TEXT) throw new BadValue(NOT_UTF8);
    return value as string;
  };
  switch (column.kind) {
    case 'decimal': {
      const scale = column.scale ?? 0;
      return (value) => (missing(value) ? '' : decimalText(value, scale));
    }
    case 'integer':
    case 'float':
      return (value) => (missing(value) ? '' : String(value));
    case 'boolean':
      return (value) => (missing(value) ? '' : value ? 'true' : 'false');
    case 'json':
      return (value) => (missing(value) ? '' : JSON.stringify(value));
    case 'timestamp': {
      const zoneless = column.local ? (iso: string) => (iso.endsWith('Z') ? iso.slice(0, -1) : iso) : (iso: string) => iso;
      // A date column takes a timestamp at midnight as its day (pandas writes dates as timestamps).
      const asDate = target?.baseType === 'date';
      return (value) => {
        if (missing(value)) return '';
        const iso = zoneless(value as string);
        return asDate && /^\d{4}-\d{2}-\d{2}T00:00:00(\.0*)?Z?$/.test(iso) ? iso.slice(0, 10) : iso;
      };
    }
    case 'string':
      if (column.bytes) return (value) => (missing(value) ? '' : text(decodeUtf8(value as Uint8Array)));
      return (value) => (missing(value) ? '' : text(value));
    default:
      return (value) => (missing(value) ? '' : text(value));
  }
}

/** Rows per batch of a row group whose columns have an offset index, so only their pages are read. */
const BATCH_ROWS = 65_536;

/** A batch of rows: each read column's values as contract text ('' for missing), in header order. */
export interface RowBatch {
  /** The 1-based row of the file of the batch's first row. */
  firstRow: number;
  rows: number;
  /** Per header position, the column's text values; undefined for a column not read. */
  columns: (string[] | undefined)[];
  /** Bytes of the file read up to the end of this batch (the row group's share of it). */
  bytesRead: number;
}

/** Where a column chunk's data ends in the file. */
function chunkEnd(chunk: ColumnChunk): number {
  const meta = chunk.meta_data;
  return meta ? Number((meta.dictionary_page_offset ?? meta.data_page_offset) + meta.total_compressed_size) : 0;
}

/**
 * A Parquet file opened for import through hyparquet (MIT, pure JavaScript, no dependencies,
 * every Parquet encoding; codecs beyond Snappy from hyparquet-compressors). Rows are read a
 * batch at a time (a row group, or a slice of one where the file has an offset index), column
 * by column, so memory holds one batch's decoded columns, never the whole table.
 */
export class ParquetSource {
  private constructor(
    readonly file: string,
    private readonly buffer: AsyncBuffer,
    private readonly metadata: FileMetaData,
    readonly columns: ParquetColumn[],
  ) {}

  static async open(file: string): Promise<ParquetSource> {
    const buffer = await asyncBufferFromFile(file);
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(buffer);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ImportRefused(file, [{ message: `${NOT_PARQUET.replace('(expected', `(got ${got(reason)}, expected`)}` }], 1, 'row');
    }
    const columns = parquetSchema(metadata).children.map((child) => {
      const nested = child.children.length > 0;
      return { name: child.element.name, parquetType: describeType(child.element, nested), ...classify(child.element, nested) };
    });
    // DECIMAL is read as its unscaled integers, which this module writes out exactly; hyparquet
    // would divide them into a double, exact only to 15 digits.
    for (const element of metadata.schema) {
      if (element.converted_type === 'DECIMAL' || element.logical_type?.type === 'DECIMAL') {
        delete element.converted_type;
        delete element.logical_type;
      }
    }
    return new ParquetSource(file, buffer, metadata, columns);
  }

  get rowCount(): number {
    return Number(this.metadata.num_rows);
  }

  /**
   * Refuses a source column no table column could take, or one whose Parquet type does not fit
   * the table column it fills as it is: named by the column, with the Parquet type.
   */
  checkTypes(reads: string[], copies: { source: string; column: Column }[]): void {
    const byName = new Map(this.columns.map((c) => [c.name, c]));
    const problems: Problem[] = [];
    for (const name of reads) {
      const source = byName.get(name);
      if (source && !source.kind) {
        problems.push({
          column: name,
          message: `a Parquet type that cannot be imported (got ${source.parquetType}, expected a column of plain values: integers, decimals, floats, booleans, strings, dates or timestamps)`,
        });
      }
    }
    for (const { source: name, column } of copies) {
      const source = byName.get(name);
      if (!source?.kind) continue;
      const { kinds, words } = accepted(column);
      if (!kinds.includes(source.kind)) {
        problems.push({
          column: column.name,
          message: `${name === column.name ? '' : `"${name}" has `}the wrong Parquet type (got ${source.parquetType}, expected ${words})`,
        });
      }
    }
    if (problems.length) throw new ImportRefused(this.file, problems, problems.length, 'row');
  }

  /**
   * The file's rows, a batch at a time, as contract text: a row group, or slices of BATCH_ROWS
   * rows of it where its columns have an offset index (then only their pages are read; a column
   * without one is decoded once for the group). `reads`
   * names the columns to read; `targets` the table column a source column fills as it is, which
   * shapes its text (a midnight timestamp for a date column is its day). A value that is not
   * UTF-8 stops the read, named by its row and column.
   */
  async *batches(header: string[], reads: string[], targets: Map<string, Column>): AsyncGenerator<RowBatch> {
    const byName = new Map(this.columns.map((c) => [c.name, c]));
    const scan = await parquetScan({
      file: this.buffer,
      metadata: this.metadata,
      columns: reads,
      parsers,
      compressors,
      // Plain BYTE_ARRAY stays bytes: a DECIMAL's, or text decoded (strictly) here.
      utf8: false,
    });
    const toTexts = new Map(reads.map((name) => [name, toTextFor(byName.get(name)!, targets.get(name))]));
    let groupStart = 0;
    let bytesBefore = 0;
    for (const [group, rowGroup] of this.metadata.row_groups.entries()) {
      const rows = Number(rowGroup.num_rows);
      const indexed = new Set(rowGroup.columns.filter((c) => c.offset_index_offset).map((c) => c.meta_data?.path_in_schema[0]));
      // A column without an offset index is read whole, once per group, and sliced here.
      const step = reads.some((name) => indexed.has(name)) ? BATCH_ROWS : Math.max(rows, 1);
      const whole = new Map<string, ArrayLike<unknown>>();
      const bytesAfter = Math.min(this.buffer.byteLength, Math.max(bytesBefore, ...rowGroup.columns.map(chunkEnd)));
      for (let from = 0; from < rows; from += step) {
        const count = Math.min(step, rows - from);
        const first = groupStart + from;
        const columns: (string[] | undefined)[] = header.map(() => undefined);
        for (const [position, name] of header.entries()) {
          const toText = toTexts.get(name);
          if (!toText) continue;
          let values: ArrayLike<unknown>;
          let offset = 0;
          if (indexed.has(name) || step >= rows) {
            values = await this.readColumn(scan, name, first, first + count, group);
          } else {
            if (!whole.has(name)) whole.set(name, await this.readColumn(scan, name, groupStart, groupStart + rows, group));
            values = whole.get(name)!;
            offset = from;
          }
          const texts = new Array<string>(count);
          for (let i = 0; i < count; i++) {
            try {
              texts[i] = toText(values[offset + i]);
            } catch (error) {
              if (!(error instanceof BadValue)) throw error;
              throw new ImportRefused(this.file, [{ line: first + i + 1, column: name, message: error.message }], 1, 'row');
            }
          }
          columns[position] = texts;
        }
        const bytesRead = Math.round(bytesBefore + ((bytesAfter - bytesBefore) * (from + count)) / rows);
        yield { firstRow: first + 1, rows: count, columns, bytesRead };
      }
      groupStart += rows;
      bytesBefore = bytesAfter;
    }
  }

  private async readColumn(
    scan: ParquetScan,
    column: string,
    rowStart: number,
    rowEnd: number,
    group: number,
  ): Promise<ArrayLike<unknown>> {
    try {
      return await scan.readColumn({ column, rowStart, rowEnd });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ImportRefused(
        this.file,
        [
          {
            column,
            message: `a damaged Parquet file: row group ${group + 1} cannot be read (got ${got(reason)}, expected data its writer wrote)`,
          },
        ],
        1,
        'row',
      );
    }
  }
}
