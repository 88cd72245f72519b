import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { ImportRefused, LONG_ROW, NOT_UTF8, SHORT_ROW, UNCLOSED_QUOTE, type Problem } from './problems.js';

export interface CsvRecord {
  /** 1-based line of the file where the record ends (its only line, for records without line breaks). */
  line: number;
  values: string[];
}

/**
 * Decodes UTF-8 and refuses anything else: Node's decoder turns an invalid byte into U+FFFD, and
 * a file holding U+FFFD has lost its characters already, so either way the line is reported.
 */
class StrictUtf8 extends Transform {
  private readonly decoder = new TextDecoder('utf-8');
  private lines = 1;

  constructor(private readonly file: string) {
    super({ readableObjectMode: false, decodeStrings: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pass(() => this.decoder.decode(chunk, { stream: true }), done);
  }

  override _flush(done: TransformCallback): void {
    this.pass(() => this.decoder.decode(), done);
  }

  private pass(decode: () => string, done: TransformCallback): void {
    try {
      done(null, this.checked(decode()));
    } catch (error) {
      done(error as Error);
    }
  }

  private checked(text: string): string {
    const bad = text.indexOf('\uFFFD');
    if (bad >= 0) {
      const line = this.lines + countNewlines(text, bad);
      throw new ImportRefused(this.file, [{ line, message: NOT_UTF8 }]);
    }
    this.lines += countNewlines(text, text.length);
    return text;
  }
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** A CSV parser's complaint, in our words and at its line. */
function csvProblem(error: CsvError, headerLength: number): Problem {
  const line = typeof error.lines === 'number' ? error.lines : undefined;
  const at = line === undefined ? {} : { line };
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return { ...at, message: Array.isArray(error.record) && error.record.length > headerLength ? LONG_ROW : SHORT_ROW };
    case 'CSV_QUOTE_NOT_CLOSED':
      return { ...at, message: UNCLOSED_QUOTE };
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return { ...at, message: `a stray quote character (expected quotes only around a whole value, doubled inside it)` };
    default:
      return { ...at, message: `not valid CSV: ${error.message}` };
  }
}

/**
 * Streams a CSV file's records, header first, with their line numbers. Stops at the first
 * problem of encoding or CSV structure: past it, lines no longer say where a row starts.
 * `onBytes` reports progress in bytes read.
 */
export async function* readCsv(file: string, onBytes?: (bytes: number) => void): AsyncGenerator<CsvRecord> {
  const source = createReadStream(file);
  let bytes = 0;
  if (onBytes) source.on('data', (chunk) => onBytes((bytes += chunk.length)));
  const parser = parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: false });
  const decoded = source.pipe(new StrictUtf8(file));
  decoded.on('error', (error) => parser.destroy(error));
  source.on('error', (error) => parser.destroy(error));
  decoded.pipe(parser);
  let headerLength = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      headerLength ||= record.length;
      yield { line: info.lines, values: record };
    }
  } catch (error) {
    if (error instanceof CsvError) throw new ImportRefused(file, [csvProblem(error, headerLength)]);
    throw error;
  } finally {
    source.destroy();
  }
}
