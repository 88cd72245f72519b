import type { AdHocVariableFilter } from '@grafana/data';
import { ALL_VALUES } from './interpolate';
import { cubeOf } from './meta';
import type { CubeFilter, FilterOperator } from './types';

const operators: Record<string, FilterOperator> = {
  '=': 'equals',
  '!=': 'notEquals',
  '=|': 'equals',
  '!=|': 'notEquals',
  '<': 'lt',
  '>': 'gt',
  '<=': 'lte',
  '>=': 'gte',
};

// A literal: no regular-expression syntax except escaped special characters.
const LITERAL = /^(?:[^.^$*+?()[\]{}|\\]|\\[.^$*+?()[\]{}|\\/])+$/;
const unescape = (text: string) => text.replace(/\\(.)/g, '$1');

/**
 * The Cube filter a regular expression can honestly become. Cube has none, so only literals map,
 * by their anchors (`^a` starts with, `a$` ends with, `^a$` equals, `a` or `.*a.*` contains), and
 * alternatives of literals (`a|b`, `^(a|b)$`) become several values, which Cube ORs (and its
 * negated operators AND). Anything else is refused rather than guessed.
 */
function fromRegex(pattern: string, negate: boolean): Pick<CubeFilter, 'operator' | 'values'> | undefined {
  let body = pattern;
  const start = body.startsWith('^');
  if (start) body = body.slice(1);
  const end = body.endsWith('$') && !body.endsWith('\\$');
  if (end) body = body.slice(0, -1);
  if (!start) body = body.replace(/^\.\*/, '');
  if (!end) body = body.replace(/(?<!\\)\.\*$/, '');
  const group = /^\((.*)\)$/.exec(body);
  const alternatives = (group ? group[1]! : body).split(/(?<!\\)\|/);
  // ^a|b means "starts with a, or ends with b" only by precedence: refuse it rather than misread it.
  if (!group && alternatives.length > 1 && (start || end)) return undefined;
  if (!alternatives.every((a) => LITERAL.test(a))) return undefined;
  const values = alternatives.map(unescape);
  const operator: FilterOperator = start && end ? 'equals' : start ? 'startsWith' : end ? 'endsWith' : 'contains';
  const negated: Record<string, FilterOperator> = {
    equals: 'notEquals',
    startsWith: 'notStartsWith',
    endsWith: 'notEndsWith',
    contains: 'notContains',
  };
  return { operator: negate ? negated[operator]! : operator, values };
}

export class AdHocFilterError extends Error {
  constructor(filter: AdHocVariableFilter, reason: string) {
    super(`Ad-hoc filter "${filter.key} ${filter.operator} ${filter.value}": ${reason}`);
    this.name = 'AdHocFilterError';
  }
}

/**
 * Dashboard ad-hoc filters → Cube filters for one query. A filter applies only when its member
 * is in a cube or view the query already uses: views are sealed, so a member of another view
 * would make Cube fail the whole query instead of just not filtering it. Grafana's "All" drops
 * the filter; an operator or pattern Cube cannot express is an error, not a near miss.
 */
export function adHocToCube(filters: AdHocVariableFilter[], queryMembers: string[]): CubeFilter[] {
  const cubes = new Set(queryMembers.map(cubeOf));
  return filters.flatMap((filter): CubeFilter[] => {
    if (!filter.key || !cubes.has(cubeOf(filter.key))) return [];
    const values = filter.values?.length ? filter.values : [filter.value];
    if (values.some((v) => ALL_VALUES.includes(v))) return [];
    if (filter.operator === '=~' || filter.operator === '!~') {
      const mapped = fromRegex(filter.value, filter.operator === '!~');
      if (!mapped)
        throw new AdHocFilterError(
          filter,
          'Cube has no regular expressions; use plain text (contains), ^text (starts with), text$ (ends with) or ^(a|b)$ (equals)',
        );
      return [{ member: filter.key, ...mapped }];
    }
    const operator = operators[filter.operator];
    if (!operator) throw new AdHocFilterError(filter, `Cube has no operator for "${filter.operator}"`);
    return [{ member: filter.key, operator, values }];
  });
}
