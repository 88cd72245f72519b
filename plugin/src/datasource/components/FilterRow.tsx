import { Combobox, IconButton, Stack, TagsInput, type ComboboxOption } from '@grafana/ui';
import React from 'react';
import { testIds } from '../../shared/testIds';
import { filterMember } from '../cubeQueryMembers';
import type { Catalog } from '../meta';
import { operatorLabels, operatorsFor } from '../operators';
import { unaryOperators, type CubeFilter } from '../types';

interface Props {
  catalog?: Catalog;
  members: Array<ComboboxOption<string>>;
  filter: CubeFilter;
  /** 1-based position, for labels that a screen reader and a test can find. */
  label: string;
  onChange(filter: CubeFilter): void;
  onRemove(): void;
}

/** One filter: any dimension or measure (measure filters become HAVING), every Cube operator. */
export function FilterRow({ catalog, members, filter, label, onChange, onRemove }: Props) {
  const member = filterMember(filter);
  const allowed = operatorsFor(catalog?.get(member));
  const values = (filter.values ?? []).map(String);
  return (
    <Stack gap={1} alignItems="center" data-testid={testIds.queryEditor.filterRow}>
      <Combobox
        data-testid={testIds.queryEditor.filterMember}
        aria-label={`Filter ${label} member`}
        options={members}
        value={member || null}
        width={36}
        placeholder="Dimension or measure"
        onChange={(option) => {
          const next = operatorsFor(catalog?.get(option.value));
          const { dimension: _old, ...rest } = filter;
          onChange({ ...rest, member: option.value, operator: next.includes(filter.operator) ? filter.operator : next[0]! });
        }}
      />
      <Combobox
        data-testid={testIds.queryEditor.filterOperator}
        aria-label={`Filter ${label} operator`}
        options={allowed.map((op) => ({ value: op, label: operatorLabels[op], description: op }))}
        value={filter.operator}
        width={26}
        onChange={(option) => {
          const { values: _old, ...rest } = filter;
          onChange(unaryOperators.includes(option.value) ? { ...rest, operator: option.value } : { ...filter, operator: option.value });
        }}
      />
      {!unaryOperators.includes(filter.operator) && (
        <div data-testid={testIds.queryEditor.filterValues}>
          <TagsInput
            tags={values}
            width={36}
            placeholder={filter.operator.includes('DateRange') ? 'from, then to (Enter after each)' : 'value, Enter; $variable works'}
            onChange={(next) => onChange({ ...filter, values: next })}
            addOnBlur
          />
        </div>
      )}
      <IconButton name="trash-alt" data-testid={testIds.queryEditor.removeFilter} tooltip="Remove filter" onClick={onRemove} />
    </Stack>
  );
}
