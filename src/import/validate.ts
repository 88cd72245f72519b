import pg from 'pg';
import { TENANT_COLUMN, type Column, type TableShape } from './catalog.js';
import { got, recordAt, SHOWN_PROBLEMS, type Problem, type RecordUnit } from './problems.js';

/** Staged text rows, one text column per file column plus the line they came from. */
export const STAGING_TABLE = 'import_rows';
/** The staged rows cast to the table's types, with every column of the table and each row's problems. */
export const TYPED_TABLE = 'import_typed';

// PostgreSQL's input functions accept more than the contract does ('now', 'epoch', 'NaN', '1/2/24'
// in the server's DateStyle): values are first held to the contract's forms.
const INTEGER = '^[+-]?[0-9]+$';
const DECIMAL = '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$';
const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const TIMESTAMP = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$';

/** A JSON column of the contract holds one JSON object per row (events.properties). */
const isJson = (column: Column) => column.baseType === 'jsonb' || column.baseType === 'json';

/** SQL that is true when a value that reads as JSON is not an object: held to the contract's form like the patterns. */
const notJsonObject = (value: string) => `jsonb_typeof(${value}::jsonb) <> 'object'`;

// A regular expression costs PostgreSQL about a microsecond a value, most of the cast of a file.
// The forms exporters write (JavaScript's toISOString, Python's isoformat, SQL's timestamps) are
// accepted first by LIKE, which fixes where the separators are, and translate, which says every
// other character is a digit: those values match the pattern too, and only the others are matched
// against it.
const DIGITS = `'0123456789'`;
/** A common form of each kind: a LIKE pattern, and what is left of a value of that form without its digits. */
const COMMON_FORMS: Record<'integer' | 'decimal' | 'date' | 'timestamp', [like: string, nonDigits: string][]> = {
  integer: [['_%', '']],
  decimal: [
    ['_%', ''],
    ['_%', '.'],
  ],
  date: [['____-__-__', '--']],
  timestamp: [
    ['____-__-__T__:__:__._%Z', '--T::.Z'],
    ['____-__-__T__:__:__Z', '--T::Z'],
    ['____-__-__T__:__:__._%+__:__', '--T::.+:'],
    ['____-__-__T__:__:__+__:__', '--T::+:'],
    ['____-__-__ __:__:__', '-- ::'],
    ['____-__-__', '--'],
  ],
};

function contractKind(column: Column): keyof typeof COMMON_FORMS | undefined {
  if (['int2', 'int4', 'int8'].includes(column.baseType)) return 'integer';
  if (column.category === 'N') return 'decimal';
  if (column.baseType === 'date') return 'date';
  if (column.category === 'D') return 'timestamp';
  return undefined;
}

const PATTERNS = { integer: INTEGER, decimal: DECIMAL, date: DATE, timestamp: TIMESTAMP };

/** The regular expression a column's values must match; undefined for text, which takes any. */
export function contractPattern(column: Column): string | undefined {
  const kind = contractKind(column);
  return kind && PATTERNS[kind];
}

/**
 * SQL that is true when `value` (not null) has the contract's form for the column, false when
 * not; undefined for a column whose every value does (text).
 */
export function contractForm(column: Column, value: string): string | undefined {
  const kind = contractKind(column);
  if (!kind) return undefined;
  const forms = COMMON_FORMS[kind].map(([like, rest]) => `${value} LIKE '${like}' AND translate(${value}, ${DIGITS}, '') = '${rest}'`);
  // A decimal of only a point has no digit: the pattern refuses it.
  const common = kind === 'decimal' ? `(${value} <> '.' AND (${forms.join(' OR ')}))` : forms.map((f) => `(${f})`).join(' OR ');
  return `(${common} OR ${value} ~ '${contractPattern(column)}')`;
}

/** What a column takes, in words, for "expected …". */
export function expectedValue(column: Column): string {
  switch (column.baseType) {
    case 'int2':
      return 'a whole number from -32768 to 32767';
    case 'int4':
      return 'a whole number from -2147483648 to 2147483647';
    case 'int8':
      return 'a whole number';
    case 'date':
      return 'a date as YYYY-MM-DD';
    case 'timestamptz':
    case 'timestamp':
      return 'an ISO 8601 date or time, e.g. 2024-03-01 or 2024-03-01T09:30:00Z (UTC unless an offset is given)';
    case 'bool':
      return 'true or false';
    case 'jsonb':
    case 'json':
      return 'a JSON object, e.g. {"order_id": "1001"}';
    case 'bpchar':
    case 'varchar':
      return `text of at most ${/\((\d+)\)/.exec(column.type)?.[1] ?? 'its length of'} characters`;
    default:
      return column.category === 'N' ? `a number (${column.type})` : column.type;
  }
}

function noun(column: Column, kind: string): string {
  if (isJson(column)) return kind === 'format' ? 'not a JSON object' : 'not valid JSON';
  if (column.category === 'N') return 'not a number';
  if (column.baseType === 'date') return 'not a date';
  if (column.category === 'D') return 'not a date or time';
  if (column.category === 'B') return 'not true or false';
  return 'not valid';
}

const isRequired = (column: Column) => column.notNull && column.defaultSql === null;

export interface ValidationInput {
  shape: TableShape;
  /** The file's contract columns, in staging order. */
  columns: Column[];
  tenant: string;
  /** What the staged rows' `line` counts: lines of a CSV file or rows of a Parquet file. */
  unit: RecordUnit;
}

/** Casts the staged text to the table's types: every column of the table, defaults for those the file leaves out or empty. */
function typedColumns(client: pg.ClientBase, { shape, columns, tenant }: ValidationInput, cast: (column: Column, value: string) => string) {
  const id = (name: string) => client.escapeIdentifier(name);
  const inFile = new Set(columns.map((c) => c.name));
  return shape.columns.map((column) => {
    const fallback = column.defaultSql ?? 'NULL';
    if (column.name === TENANT_COLUMN) return `${client.escapeLiteral(tenant)}::${column.type} AS ${id(column.name)}`;
    if (!inFile.has(column.name)) return `(${fallback})::${column.type} AS ${id(column.name)}`;
    const value = cast(column, `s.${id(column.name)}`);
    return `${column.defaultSql ? `coalesce(${value}, (${fallback})::${column.type})` : value} AS ${id(column.name)}`;
  });
}

/**
 * Casts the staged text to the table's types into TYPED_TABLE, holding every column of the
 * table (defaults for those the file leaves out or leaves empty) and, per row, a list of
 * `column:problem` codes. A good file is cast in one pass that checks the contract's forms and
 * casts each value once; only if that finds anything wrong are the rows cast again, value by
 * value, so each problem is found: a value that fails is then null in the typed row, so later
 * checks skip it.
 */
export async function castStagedRows(client: pg.ClientBase, input: ValidationInput, stagedRows: number): Promise<void> {
  await client.query('SAVEPOINT import_cast');
  try {
    const cast = await client.query(castAllSql(client, input));
    if (cast.rowCount === stagedRows) {
      await client.query('RELEASE SAVEPOINT import_cast');
      return;
    }
  } catch (error) {
    // A value of the wrong type (class 22, data exception): found and described below.
    if (!(error instanceof pg.DatabaseError && error.code?.startsWith('22'))) throw error;
  }
  await client.query('ROLLBACK TO SAVEPOINT import_cast');
  await client.query(castEachSql(client, input));
}

/** Every row whose values all have the contract's form, cast once; rows that lack one are left out. */
function castAllSql(client: pg.ClientBase, input: ValidationInput): string {
  const literal = (value: string) => client.escapeLiteral(value);
  const conditions = input.columns.flatMap((column) => {
    const value = `s.${client.escapeIdentifier(column.name)}`;
    const form = contractForm(column, value);
    const length = /^(?:character|character varying)\((\d+)\)$/.exec(column.type)?.[1];
    return [
      ...(isRequired(column) ? [`${value} IS NOT NULL`] : []),
      ...(form ? [`(${value} IS NULL OR ${form})`] : []),
      // Text that is not JSON fails the cast, and the rows are cast again one by one.
      ...(isJson(column) ? [`(${value} IS NULL OR NOT ${notJsonObject(value)})`] : []),
      // A cast to char(n) or varchar(n) cuts a long value short, where input refuses it.
      ...(column.category === 'S' && column.baseType !== 'text'
        ? [`(${value} IS NULL OR ${length ? `length(${value}) <= ${length} OR ` : ''}pg_input_is_valid(${value}, ${literal(column.type)}))`]
        : []),
    ];
  });
  const typed = typedColumns(client, input, (column, value) => `${value}::${column.type}`);
  return `CREATE TEMP TABLE ${TYPED_TABLE} ON COMMIT DROP AS
    SELECT s.line, ${typed.join(', ')}, '{}'::text[] AS problems
    FROM ${STAGING_TABLE} s WHERE ${conditions.join(' AND ') || 'true'}`;
}

/** Every row cast value by value, with the problems of each. */
function castEachSql(client: pg.ClientBase, input: ValidationInput): string {
  const id = (name: string) => client.escapeIdentifier(name);
  const literal = (value: string) => client.escapeLiteral(value);
  const { columns } = input;
  const position = new Map(columns.map((c, i) => [c.name, i]));
  const codes = columns.map((column, i) => {
    const value = `s.${id(column.name)}`;
    const form = contractForm(column, value);
    const checks = [
      `WHEN ${value} IS NULL THEN ${isRequired(column) ? `'missing'` : 'NULL'}`,
      ...(form ? [`WHEN NOT ${form} THEN 'format'`] : []),
      ...(column.category === 'S' && column.baseType === 'text'
        ? []
        : [`WHEN NOT pg_input_is_valid(${value}, ${literal(column.type)}) THEN 'invalid'`]),
      ...(isJson(column) ? [`WHEN ${notJsonObject(value)} THEN 'format'`] : []),
    ];
    return `CASE ${checks.join(' ')} END AS p${i}`;
  });
  const typed = typedColumns(
    client,
    input,
    (column, value) => `CASE WHEN c.p${position.get(column.name)} IS NULL AND ${value} IS NOT NULL THEN ${value}::${column.type} END`,
  );
  const problems = columns.map((column, i) => `CASE WHEN c.p${i} IS NOT NULL THEN ${literal(column.name)} || ':' || c.p${i} END`);
  return `CREATE TEMP TABLE ${TYPED_TABLE} ON COMMIT DROP AS
    SELECT s.line, ${typed.join(', ')}, array_remove(ARRAY[${problems.join(', ') || 'NULL::text'}], NULL) AS problems
    FROM ${STAGING_TABLE} s CROSS JOIN LATERAL (SELECT ${codes.join(', ') || '1'} OFFSET 0) c`;
}

interface Found {
  problems: Problem[];
  total: number;
}

/** Every problem of the staged rows: bad values, broken checks, unknown references, duplicate keys. */
export async function findProblems(client: pg.ClientBase, input: ValidationInput): Promise<Found> {
  // One connection runs one query at a time: the checks run in turn.
  const found: Found[] = [await valueProblems(client, input)];
  for (const check of [...checkProblems(client, input), ...referenceProblems(client, input), ...duplicateProblems(client, input)]) {
    found.push(await check());
  }
  const problems = found
    .flatMap((f) => f.problems)
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    .slice(0, SHOWN_PROBLEMS);
  return { problems, total: found.reduce((sum, f) => sum + f.total, 0) };
}

async function valueProblems(client: pg.ClientBase, { columns }: ValidationInput): Promise<Found> {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const { rows } = await client.query<{ line: number; code: string; total: number }>(
    `SELECT line, code, count(*) OVER () AS total
     FROM (SELECT line, unnest(problems) AS code FROM ${TYPED_TABLE} WHERE cardinality(problems) > 0) p
     ORDER BY line LIMIT ${SHOWN_PROBLEMS}`,
  );
  const problems: Problem[] = [];
  for (const row of rows) {
    const [name, kind] = splitCode(row.code);
    const column = byName.get(name)!;
    if (kind === 'missing') {
      problems.push({ line: row.line, column: name, message: `missing value (expected ${expectedValue(column)}: ${name} is required)` });
      continue;
    }
    const { rows: values } = await client.query<{ value: string; reason: string | null }>(
      `SELECT s.${client.escapeIdentifier(name)} AS value, (pg_input_error_info(s.${client.escapeIdentifier(name)}, $2)).message AS reason
       FROM ${STAGING_TABLE} s WHERE s.line = $1`,
      [row.line, column.type],
    );
    const { value, reason } = values[0]!;
    problems.push({ line: row.line, column: name, message: describeBadValue(column, value, kind, kind === 'format' ? null : reason) });
  }
  return { problems, total: rows[0]?.total ?? 0 };
}

function splitCode(code: string): [string, string] {
  const at = code.lastIndexOf(':');
  return [code.slice(0, at), code.slice(at + 1)];
}

function describeBadValue(column: Column, value: string, kind: string, reason: string | null): string {
  if (reason && column.category !== 'D' && /out of range|overflow/.test(reason))
    return `out of range (got ${got(value)}, expected ${expectedValue(column)})`;
  if (reason && /too long/.test(reason)) return `too long (got ${got(value)}, expected ${expectedValue(column)})`;
  return `${noun(column, kind)} (got ${got(value)}, expected ${expectedValue(column)})`;
}

/** A CHECK constraint's SQL, readable: casts and redundant brackets taken out. */
export function readableCheck(expression: string): string {
  const anyArray = /^\(*\(?(\w+) = ANY \(ARRAY\[(.*)\]\)\)*$/.exec(expression);
  if (anyArray) return `one of ${anyArray[2]!.replace(/::\w+( \w+)*/g, '').replace(/'/g, '')}`;
  return withoutOuterBrackets(expression.replace(/\((-?[\d.]+)\)::\w+/g, '$1').replace(/::[a-z]+( [a-z]+)*/g, ''));
}

function withoutOuterBrackets(expression: string): string {
  let text = expression;
  while (text.startsWith('(') && closingBracket(text) === text.length - 1) text = text.slice(1, -1);
  return text;
}

function closingBracket(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

function checkProblems(client: pg.ClientBase, { shape, columns }: ValidationInput): (() => Promise<Found>)[] {
  const inFile = new Set(columns.map((c) => c.name));
  return shape.checks.map((check) => async () => {
    const { rows } = await client.query<{ line: number; total: number; values: string[] }>(
      `SELECT line, count(*) OVER () AS total, ARRAY[${check.columns.map((c) => `${client.escapeIdentifier(c)}::text`).join(', ')}] AS values
       FROM ${TYPED_TABLE} WHERE NOT (${check.expression}) ORDER BY line LIMIT ${SHOWN_PROBLEMS}`,
    );
    const shown = check.columns.filter((c) => inFile.has(c));
    return {
      total: rows[0]?.total ?? 0,
      problems: rows.map((row) => ({
        line: row.line,
        column: (shown.length ? shown : check.columns).join(', '),
        message: `value out of range (got ${check.columns.map((c, i) => (check.columns.length > 1 ? `${c} ${got(row.values[i] ?? '')}` : got(row.values[i] ?? ''))).join(', ')}, expected ${readableCheck(check.expression)})`,
      })),
    };
  });
}

function referenceProblems(client: pg.ClientBase, { shape, tenant }: ValidationInput): (() => Promise<Found>)[] {
  const id = (name: string) => client.escapeIdentifier(name);
  return shape.foreignKeys
    .filter((fk) => fk.columns.some((c) => c !== TENANT_COLUMN))
    .map((fk) => async () => {
      const own = fk.columns.filter((c) => c !== TENANT_COLUMN);
      const join = fk.columns.map((c, i) => `r.${id(fk.referencedColumns[i]!)} = t.${id(c)}`).join(' AND ');
      const { rows } = await client.query<{ line: number; total: number; value: string }>(
        `SELECT t.line, count(*) OVER () AS total, concat_ws(', ', ${own.map((c) => `t.${id(c)}::text`).join(', ')}) AS value
         FROM ${TYPED_TABLE} t
         WHERE ${own.map((c) => `t.${id(c)} IS NOT NULL`).join(' AND ')}
           AND NOT EXISTS (SELECT 1 FROM ${id(fk.referencedTable)} r WHERE ${join})
         ORDER BY t.line LIMIT ${SHOWN_PROBLEMS}`,
      );
      const what = fk.referencedTable.replace(/s$/, '');
      return {
        total: rows[0]?.total ?? 0,
        problems: rows.map((row) => ({
          line: row.line,
          column: own.join(', '),
          message: `unknown ${what} reference (got ${got(row.value)}, expected the id of a ${what} of tenant ${tenant}: import ${fk.referencedTable} first)`,
        })),
      };
    });
}

function duplicateProblems(client: pg.ClientBase, { shape, unit }: ValidationInput): (() => Promise<Found>)[] {
  const id = (name: string) => client.escapeIdentifier(name);
  const keys = [
    ...new Map(
      [shape.primaryKey, ...shape.uniqueKeys]
        .map((key) => key.filter((c) => c !== TENANT_COLUMN))
        .filter((key) => key.length > 0)
        .map((key) => [key.join(), key]),
    ).values(),
  ];
  return keys.map((key) => async () => {
    const columns = key.map(id).join(', ');
    const present = key.map((c) => `${id(c)} IS NOT NULL`).join(' AND ');
    // Counting distinct keys is a third of the cost of numbering them: only a file with duplicates pays for that.
    const { rows: probe } = await client.query<{ unique: boolean }>(
      `SELECT count(DISTINCT ${key.length > 1 ? `ROW(${columns})` : columns}) = count(*) AS unique FROM ${TYPED_TABLE} WHERE ${present}`,
    );
    if (probe[0]!.unique) return { total: 0, problems: [] };
    const { rows } = await client.query<{ line: number; first: number; total: number; value: string }>(
      `SELECT line, first, count(*) OVER () AS total, value FROM (
         SELECT line, min(line) OVER (PARTITION BY ${columns}) AS first, concat_ws(', ', ${key.map((c) => `${id(c)}::text`).join(', ')}) AS value
         FROM ${TYPED_TABLE} WHERE ${present}) d
       WHERE line <> first ORDER BY line LIMIT ${SHOWN_PROBLEMS}`,
    );
    return {
      total: rows[0]?.total ?? 0,
      problems: rows.map((row) => ({
        line: row.line,
        column: key.join(', '),
        message: `duplicate ${key.length > 1 ? 'key' : 'id'} in the file (got ${got(row.value)}, expected each once; first on ${recordAt(unit, row.first)})`,
      })),
    };
  });
}
