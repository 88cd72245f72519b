import { Button, IconButton, RadioButtonGroup, Stack } from '@grafana/ui';
import { css } from '@emotion/css';
import React from 'react';
import { testIds } from '../../shared/testIds';
import type { Catalog } from '../meta';
import type { CubeFilter, CubeFilterOrGroup } from '../types';
import { FilterRow } from './FilterRow';
import { memberOptions, withCurrent } from './memberOptions';
import { leafFilters, filterMember } from '../cubeQueryMembers';

export type Connective = 'and' | 'or';

interface Props {
  catalog?: Catalog;
  connective: Connective;
  items: CubeFilterOrGroup[];
  /** Position of the group, e.g. "1.2", for labels; empty at the top. */
  path?: string;
  onChange(connective: Connective, items: CubeFilterOrGroup[]): void;
  onRemove?(): void;
}

const nested = css({ borderLeft: '2px solid rgba(128, 128, 128, 0.4)', paddingLeft: 8 });
const newFilter = (): CubeFilter => ({ member: '', operator: 'equals', values: [] });

/** A group of filters joined by AND or OR; a group may hold groups, as Cube's `{or: […]}` / `{and: […]}` do. */
export function FilterGroup({ catalog, connective, items, path = '', onChange, onRemove }: Props) {
  const members = withCurrent(memberOptions(catalog, ['dimension', 'timeDimension', 'measure']), leafFilters(items).map(filterMember));
  const replace = (index: number, item: CubeFilterOrGroup) =>
    onChange(
      connective,
      items.map((f, i) => (i === index ? item : f)),
    );
  const remove = (index: number) =>
    onChange(
      connective,
      items.filter((_, i) => i !== index),
    );
  return (
    <Stack direction="column" gap={1} data-testid={testIds.queryEditor.filterGroup}>
      {(items.length > 1 || path) && (
        <Stack gap={1} alignItems="center">
          <RadioButtonGroup<Connective>
            size="sm"
            data-testid={testIds.queryEditor.groupConnective}
            aria-label={`Filters ${path || 'top'} joined by`}
            options={[
              { value: 'and', label: 'All of (AND)' },
              { value: 'or', label: 'Any of (OR)' },
            ]}
            value={connective}
            onChange={(next) => onChange(next, items)}
          />
          {onRemove && <IconButton name="trash-alt" tooltip="Remove group" onClick={onRemove} />}
        </Stack>
      )}
      {items.map((item, index) => {
        const label = path ? `${path}.${index + 1}` : `${index + 1}`;
        if ('operator' in item)
          return (
            <FilterRow
              key={index}
              catalog={catalog}
              members={members}
              filter={item}
              label={label}
              onChange={(filter) => replace(index, filter)}
              onRemove={() => remove(index)}
            />
          );
        const inner: Connective = item.or ? 'or' : 'and';
        return (
          <div key={index} className={nested}>
            <FilterGroup
              catalog={catalog}
              connective={inner}
              items={item[inner] ?? []}
              path={label}
              onChange={(c, list) => replace(index, c === 'or' ? { or: list } : { and: list })}
              onRemove={() => remove(index)}
            />
          </div>
        );
      })}
      <Stack gap={1}>
        <Button
          size="sm"
          variant="secondary"
          icon="plus"
          data-testid={testIds.queryEditor.addFilter}
          onClick={() => onChange(connective, [...items, newFilter()])}
        >
          Filter
        </Button>
        <Button
          size="sm"
          variant="secondary"
          icon="plus"
          data-testid={testIds.queryEditor.addGroup}
          onClick={() => onChange(connective, [...items, { [connective === 'and' ? 'or' : 'and']: [newFilter()] }])}
        >
          {connective === 'and' ? 'OR group' : 'AND group'}
        </Button>
      </Stack>
    </Stack>
  );
}

/** The top level of Cube's filters is an AND; a single OR group there reads as "any of". */
export function topLevel(filters: CubeFilterOrGroup[] = []): { connective: Connective; items: CubeFilterOrGroup[] } {
  const only = filters.length === 1 ? filters[0] : undefined;
  if (only && !('operator' in only) && only.or) return { connective: 'or', items: only.or };
  return { connective: 'and', items: filters };
}

export function fromTopLevel(connective: Connective, items: CubeFilterOrGroup[]): CubeFilterOrGroup[] {
  return connective === 'or' && items.length ? [{ or: items }] : items;
}
