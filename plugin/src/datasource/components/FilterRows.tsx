import { Combobox, IconButton, Stack, TagsInput } from '@grafana/ui';
import React from 'react';
import { testIds } from '../../shared/testIds';
import type { Catalog } from '../meta';
import { operatorLabels, operatorsFor } from '../operators';
import { unaryOperators, type QueryFilter } from '../types';
import { memberOptions, withCurrent } from './memberOptions';

interface Props {
  catalog?: Catalog;
  filters: QueryFilter[];
  onChange(filters: QueryFilter[]): void;
}

/** Filter rows: any dimension or measure (measure filters become HAVING), every Cube operator. */
export function FilterRows({ catalog, filters, onChange }: Props) {
  const members = withCurrent(
    memberOptions(catalog, ['dimension', 'timeDimension', 'measure']),
    filters.map((f) => f.member),
  );
  const update = (index: number, patch: Partial<QueryFilter>) => onChange(filters.map((f, i) => (i === index ? { ...f, ...patch } : f)));
  return (
    <Stack direction="column" gap={1}>
      {filters.map((filter, index) => {
        const allowed = operatorsFor(catalog?.get(filter.member));
        return (
          <Stack key={index} gap={1} alignItems="center" data-testid={testIds.queryEditor.filterRow}>
            <Combobox
              data-testid={testIds.queryEditor.filterMember}
              aria-label={`Filter ${index + 1} member`}
              options={members}
              value={filter.member || null}
              width={36}
              placeholder="Dimension or measure"
              onChange={(option) => {
                const next = operatorsFor(catalog?.get(option.value));
                update(index, { member: option.value, operator: next.includes(filter.operator) ? filter.operator : next[0]! });
              }}
            />
            <Combobox
              data-testid={testIds.queryEditor.filterOperator}
              aria-label={`Filter ${index + 1} operator`}
              options={allowed.map((op) => ({ value: op, label: operatorLabels[op], description: op }))}
              value={filter.operator}
              width={26}
              onChange={(option) =>
                update(index, { operator: option.value, ...(unaryOperators.includes(option.value) ? { values: [] } : {}) })
              }
            />
            {!unaryOperators.includes(filter.operator) && (
              <div data-testid={testIds.queryEditor.filterValues}>
                <TagsInput
                  tags={filter.values}
                  width={36}
                  placeholder={filter.operator.includes('DateRange') ? 'from, then to (Enter after each)' : 'value, Enter; $variable works'}
                  onChange={(values) => update(index, { values })}
                  addOnBlur
                />
              </div>
            )}
            <IconButton
              name="trash-alt"
              data-testid={testIds.queryEditor.removeFilter}
              tooltip="Remove filter"
              onClick={() => onChange(filters.filter((_, i) => i !== index))}
            />
          </Stack>
        );
      })}
    </Stack>
  );
}
