import { Button, InlineField, MultiCombobox, Stack } from '@grafana/ui';
import React from 'react';
import { testIds } from '../../shared/testIds';
import type { Catalog } from '../meta';
import type { CubeQuery } from '../types';
import { FilterGroup, fromTopLevel, topLevel } from './FilterGroup';
import { memberOptions, withCurrent } from './memberOptions';
import { cubeOrder, orderRows, OrderRows } from './OrderRows';
import { TimeDimensionRows } from './TimeDimensionRows';

interface Props {
  catalog?: Catalog;
  loading: boolean;
  cubeQuery: CubeQuery;
  /** A key set to undefined is removed; `run` false keeps a half-made change from running. */
  onChange(patch: Partial<CubeQuery>, run?: boolean): void;
}

const LABEL_WIDTH = 16;

/** The visual builder: members from /v1/meta, time dimensions, AND/OR filters, segments and order. */
export function Builder({ catalog, loading, cubeQuery: q, onChange: setQuery }: Props) {
  const list = (values: string[]) => (values.length ? values : undefined);
  const selected = [...(q.measures ?? []), ...(q.dimensions ?? []), ...(q.timeDimensions ?? []).map((td) => td.dimension)];
  const filters = topLevel(q.filters);
  return (
    <>
      <InlineField label="Measures" labelWidth={LABEL_WIDTH} grow tooltip="Type to search titles, descriptions and names.">
        <MultiCombobox
          data-testid={testIds.queryEditor.measures}
          aria-label="Measures"
          options={withCurrent(memberOptions(catalog, 'measure'), q.measures ?? [])}
          value={q.measures ?? []}
          placeholder="Choose measures"
          loading={loading}
          onChange={(options) => setQuery({ measures: list(options.map((o) => o.value)) })}
        />
      </InlineField>
      <InlineField label="Dimensions" labelWidth={LABEL_WIDTH} grow>
        <MultiCombobox
          data-testid={testIds.queryEditor.dimensions}
          aria-label="Dimensions"
          options={withCurrent(memberOptions(catalog, 'dimension'), q.dimensions ?? [])}
          value={q.dimensions ?? []}
          placeholder="Group by"
          onChange={(options) => setQuery({ dimensions: list(options.map((o) => o.value)) })}
        />
      </InlineField>
      <TimeDimensionRows
        catalog={catalog}
        timeDimensions={q.timeDimensions ?? []}
        onChange={(timeDimensions) => setQuery({ timeDimensions: timeDimensions.length ? timeDimensions : undefined })}
      />
      <InlineField label="Filters" labelWidth={LABEL_WIDTH} grow>
        <FilterGroup
          catalog={catalog}
          connective={filters.connective}
          items={filters.items}
          onChange={(connective, items) => {
            const next = fromTopLevel(connective, items);
            // A new, empty row is not run until it is filled in.
            setQuery({ filters: next.length ? next : undefined }, items.length <= filters.items.length);
          }}
        />
      </InlineField>
      <InlineField label="Segments" labelWidth={LABEL_WIDTH} grow>
        <MultiCombobox
          data-testid={testIds.queryEditor.segments}
          aria-label="Segments"
          options={withCurrent(memberOptions(catalog, 'segment'), q.segments ?? [])}
          value={q.segments ?? []}
          placeholder="No segments"
          onChange={(options) => setQuery({ segments: list(options.map((o) => o.value)) })}
        />
      </InlineField>
      <InlineField label="Order" labelWidth={LABEL_WIDTH} grow>
        <Stack direction="column" gap={1}>
          <OrderRows
            options={selected.map((name) => ({ value: name, label: catalog?.get(name)?.title ?? name }))}
            order={orderRows(q.order)}
            onChange={(rows) => setQuery({ order: cubeOrder(rows) })}
          />
          <div>
            <Button
              size="sm"
              variant="secondary"
              icon="plus"
              data-testid={testIds.queryEditor.addOrder}
              disabled={!selected.length}
              onClick={() => setQuery({ order: cubeOrder([...orderRows(q.order), { member: selected[0]!, direction: 'desc' }]) })}
            >
              Order
            </Button>
          </div>
        </Stack>
      </InlineField>
    </>
  );
}
