import { InvalidQueryError } from './error.js';
import { leafFilters } from './limits.js';
import {
  dateOperators,
  filterValueType,
  isIsoDate,
  operandTypes,
  operatorsFor,
  type CubeFilter,
  type CubeQuery,
  type FilterOperator,
  type FilterValueType,
} from '@engagement/contract';

/** The parts of Cube's /v1/meta (compilerApi.metaConfig) that say what each member is. */
export interface ModelMeta {
  config: {
    name: string;
    /** false for a `public: false` cube, which Cube 0.35.81 answers with a 500 when queried. */
    isVisible?: boolean;
    measures?: { name: string; type: string }[];
    dimensions?: { name: string; type: string }[];
    segments?: { name: string }[];
  };
}

type Kind = 'measure' | 'dimension' | 'segment';
interface Member {
  kind: Kind;
  type: FilterValueType;
}
export interface ModelIndex {
  cubes: Set<string>;
  members: Map<string, Member>;
}

export function indexModel(allMeta: readonly ModelMeta[]): ModelIndex {
  // A hidden cube (a building block such as customer_spans) is not part of the API: unknown.
  const meta = allMeta.filter(({ config }) => config.isVisible !== false);
  const members = new Map<string, Member>();
  for (const { config } of meta) {
    for (const m of config.measures ?? []) members.set(m.name, { kind: 'measure', type: filterValueType(m.type) });
    for (const d of config.dimensions ?? []) members.set(d.name, { kind: 'dimension', type: filterValueType(d.type) });
    for (const s of config.segments ?? []) members.set(s.name, { kind: 'segment', type: 'boolean' });
  }
  return { cubes: new Set(meta.map(({ config }) => config.name)), members };
}

const ORDER_OPERATORS: FilterOperator[] = ['gt', 'gte', 'lt', 'lte'];
const DATE_OPERATORS: readonly FilterOperator[] = dateOperators;
const NO_VALUE_OPERATORS: FilterOperator[] = ['set', 'notSet', 'measureFilter'];
const NULL_OPERATORS: FilterOperator[] = ['equals', 'notEquals', 'in', 'notIn'];

/** How many values an operator takes: [min, max]. */
function valueCount(operator: FilterOperator): [number, number] {
  if (NO_VALUE_OPERATORS.includes(operator)) return [0, 0];
  if (operator === 'inDateRange' || operator === 'notInDateRange') return [2, 2];
  if (operator === 'onTheDate') return [1, 2];
  if (DATE_OPERATORS.includes(operator) || ORDER_OPERATORS.includes(operator)) return [1, 1];
  return [1, Infinity];
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const VALUE_CHECKS: Record<FilterValueType, [(value: unknown) => boolean, string]> = {
  string: [(v) => typeof v === 'string', 'a string'],
  number: [(v) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && NUMBER.test(v.trim())), 'a number'],
  time: [(v) => typeof v === 'string' && isIsoDate(v), 'a date "YYYY-MM-DD", optionally with a time "THH:MM:SS"'],
  boolean: [(v) => v === true || v === false || v === 'true' || v === 'false', 'true or false'],
};

const KIND_NAMES: Record<Kind, string> = { measure: 'a measure', dimension: 'a dimension', segment: 'a segment' };

/** Validates queries against the compiled model, so that Cube compiles only what makes sense. */
export class ModelCheck {
  constructor(private readonly model: ModelIndex) {}

  private fail(at: string, message: string): never {
    throw new InvalidQueryError(`Invalid query: ${at}: ${message}.`);
  }

  private member(at: string, name: string, kinds: readonly Kind[], usage: string): Member {
    const member = this.model.members.get(name);
    if (!member) {
      const cube = name.split('.')[0]!;
      this.fail(
        at,
        this.model.cubes.has(cube) ? `member "${name}" not found in "${cube}"` : `cube or view "${cube}" not found (in "${name}")`,
      );
    }
    if (!kinds.includes(member.kind))
      this.fail(at, `"${name}" is ${KIND_NAMES[member.kind]}, and ${usage} takes ${kinds.map((k) => KIND_NAMES[k]).join(' or ')}`);
    return member;
  }

  private timeDimension(at: string, name: string): void {
    const member = this.member(at, name, ['dimension'], 'a time dimension');
    if (member.type !== 'time')
      this.fail(at, `"${name}" is a ${member.type} dimension; only time dimensions have a granularity or date range`);
  }

  private filter(at: string, filter: CubeFilter): void {
    const name = (filter.member ?? filter.dimension)!;
    const member = this.member(`${at}.${filter.member ? 'member' : 'dimension'}`, name, ['measure', 'dimension'], 'a filter');
    const { operator } = filter;
    if (operator === 'measureFilter' && member.kind !== 'measure')
      this.fail(at, `"measureFilter" applies to measures, and "${name}" is a dimension`);
    if (!operatorsFor(member).includes(operator)) {
      this.fail(
        at,
        `"${operator}" does not apply to "${name}", a ${member.type} ${member.kind} (it takes ${operandTypes(operator).join(' or ')} members)`,
      );
    }
    const values = filter.values ?? [];
    const [min, max] = valueCount(operator);
    if (values.length < min || values.length > max) {
      const expected =
        max === 0
          ? 'no values'
          : min === max
            ? `${min} value${min > 1 ? 's' : ''}`
            : max === Infinity
              ? `at least ${min} value`
              : `${min} to ${max} values`;
      this.fail(at, `"${operator}" takes ${expected}, got ${values.length}`);
    }
    const [check, expected] = VALUE_CHECKS[DATE_OPERATORS.includes(operator) ? 'time' : member.type];
    values.forEach((value, index) => {
      if (value === null && NULL_OPERATORS.includes(operator)) return;
      if (!check(value)) this.fail(`${at}.values[${index}]`, `expected ${expected} for "${name}", got ${JSON.stringify(value)}`);
    });
  }

  check(query: CubeQuery, at = ''): void {
    query.measures?.forEach((name, i) => this.member(`${at}measures[${i}]`, name, ['measure'], '"measures"'));
    query.dimensions?.forEach((name, i) => {
      const [cube, field, granularity] = name.split('.');
      if (granularity) this.timeDimension(`${at}dimensions[${i}]`, `${cube}.${field}`);
      else this.member(`${at}dimensions[${i}]`, name, ['dimension'], '"dimensions"');
    });
    query.segments?.forEach((name, i) => this.member(`${at}segments[${i}]`, name, ['segment'], '"segments"'));
    query.timeDimensions?.forEach((td, i) => this.timeDimension(`${at}timeDimensions[${i}].dimension`, td.dimension));
    for (const { filter, path } of leafFilters(query.filters ?? [])) this.filter(`${at}${path}`, filter);
    const order = Array.isArray(query.order) ? query.order.map(([name]) => name) : Object.keys(query.order ?? {});
    order.forEach((name, i) => this.member(`${at}order[${i}]`, name, ['measure', 'dimension'], '"order"'));
  }
}
