import type { QueryEditorProps } from '@grafana/data';
import { Alert, Button, Combobox, InlineField, InlineFieldRow, Input, MultiCombobox, RadioButtonGroup, Stack } from '@grafana/ui';
import React from 'react';
import { testIds } from '../../shared/testIds';
import type { CubeDataSource } from '../datasource';
import { granularities, type CubeDataSourceOptions, type CubeDataQuery, type Granularity, type QueryModel } from '../types';
import { FilterRows } from './FilterRows';
import { memberOptions, withCurrent } from './memberOptions';
import { OrderRows } from './OrderRows';
import { QueryPreview } from './QueryPreview';
import { useCatalog } from './useCatalog';

type Props = QueryEditorProps<CubeDataSource, CubeDataQuery, CubeDataSourceOptions>;

const LABEL_WIDTH = 16;
const NO_GRANULARITY = 'none';

/** The visual query builder, driven by Cube's /v1/meta. */
export function QueryEditor({ datasource, query, onChange, onRunQuery, range }: Props) {
  const { catalog, error } = useCatalog(datasource);
  const set = (patch: Partial<QueryModel>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };
  const measures = query.measures ?? [];
  const dimensions = query.dimensions ?? [];
  const time = query.timeDimension;
  const selected = [...measures, ...dimensions, ...(time?.dimension ? [time.dimension] : [])];

  return (
    <Stack direction="column" gap={1} data-testid={testIds.queryEditor.root}>
      {error && (
        <Alert severity="error" title="Cannot read the model from Cube">
          {error}
        </Alert>
      )}
      <InlineField label="Measures" labelWidth={LABEL_WIDTH} grow tooltip="Type to search titles, descriptions and names.">
        <MultiCombobox
          data-testid={testIds.queryEditor.measures}
          aria-label="Measures"
          options={withCurrent(memberOptions(catalog, 'measure'), measures)}
          value={measures}
          placeholder="Choose measures"
          loading={!catalog && !error}
          onChange={(options) => set({ measures: options.map((o) => o.value) })}
        />
      </InlineField>
      <InlineField label="Dimensions" labelWidth={LABEL_WIDTH} grow>
        <MultiCombobox
          data-testid={testIds.queryEditor.dimensions}
          aria-label="Dimensions"
          options={withCurrent(memberOptions(catalog, 'dimension'), dimensions)}
          value={dimensions}
          placeholder="Group by"
          onChange={(options) => set({ dimensions: options.map((o) => o.value) })}
        />
      </InlineField>
      <InlineFieldRow>
        <InlineField label="Time" labelWidth={LABEL_WIDTH} tooltip="The dashboard's time range filters this time dimension.">
          <Combobox
            data-testid={testIds.queryEditor.timeDimension}
            aria-label="Time dimension"
            options={withCurrent(memberOptions(catalog, 'timeDimension'), time?.dimension ? [time.dimension] : [])}
            value={time?.dimension ?? null}
            width={36}
            placeholder="No time dimension"
            isClearable
            onChange={(option) => {
              if (option) return set({ timeDimension: { granularity: 'month', ...time, dimension: option.value } });
              const { timeDimension: _dropped, ...rest } = query;
              onChange(rest);
              onRunQuery();
            }}
          />
        </InlineField>
        <InlineField label="By" disabled={!time?.dimension}>
          <Combobox
            data-testid={testIds.queryEditor.granularity}
            aria-label="Granularity"
            options={[{ value: NO_GRANULARITY, label: 'no grouping (filter only)' }, ...granularities.map((g) => ({ value: g, label: g }))]}
            value={time?.granularity ?? NO_GRANULARITY}
            width={24}
            onChange={(option) => {
              if (!time) return;
              const { granularity: _old, ...rest } = time;
              set({ timeDimension: option.value === NO_GRANULARITY ? rest : { ...rest, granularity: option.value as Granularity } });
            }}
          />
        </InlineField>
        <InlineField
          label="Range"
          disabled={!time?.dimension}
          tooltip="Empty: the dashboard's time range. Or a Cube range such as 'last 12 months' or 'this year'."
        >
          <Input
            data-testid={testIds.queryEditor.dateRange}
            aria-label="Date range"
            width={24}
            placeholder="dashboard range"
            defaultValue={time?.dateRange ?? ''}
            onBlur={(e) => {
              if (!time) return;
              const { dateRange: _old, ...rest } = time;
              const value = e.currentTarget.value.trim();
              set({ timeDimension: value ? { ...rest, dateRange: value } : rest });
            }}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineField label="Filters" labelWidth={LABEL_WIDTH} grow>
        <Stack direction="column" gap={1}>
          <FilterRows catalog={catalog} filters={query.filters ?? []} onChange={(filters) => set({ filters })} />
          <div>
            <Button
              size="sm"
              variant="secondary"
              icon="plus"
              data-testid={testIds.queryEditor.addFilter}
              onClick={() => onChange({ ...query, filters: [...(query.filters ?? []), { member: '', operator: 'equals', values: [] }] })}
            >
              Filter
            </Button>
          </div>
        </Stack>
      </InlineField>
      <InlineField label="Segments" labelWidth={LABEL_WIDTH} grow>
        <MultiCombobox
          data-testid={testIds.queryEditor.segments}
          aria-label="Segments"
          options={withCurrent(memberOptions(catalog, 'segment'), query.segments ?? [])}
          value={query.segments ?? []}
          placeholder="No segments"
          onChange={(options) => set({ segments: options.map((o) => o.value) })}
        />
      </InlineField>
      <InlineField label="Order" labelWidth={LABEL_WIDTH} grow>
        <Stack direction="column" gap={1}>
          <OrderRows
            options={selected.map((name) => ({ value: name, label: catalog?.get(name)?.title ?? name }))}
            order={query.order ?? []}
            onChange={(order) => set({ order })}
          />
          <div>
            <Button
              size="sm"
              variant="secondary"
              icon="plus"
              data-testid={testIds.queryEditor.addOrder}
              onClick={() => onChange({ ...query, order: [...(query.order ?? []), { member: selected[0] ?? '', direction: 'desc' }] })}
            >
              Order
            </Button>
          </div>
        </Stack>
      </InlineField>
      <InlineFieldRow>
        <InlineField label="Limit" labelWidth={LABEL_WIDTH}>
          <Input
            data-testid={testIds.queryEditor.limit}
            aria-label="Limit"
            type="number"
            min={1}
            width={12}
            placeholder="10000"
            defaultValue={query.limit ?? ''}
            onBlur={(e) => {
              const limit = Number.parseInt(e.currentTarget.value, 10);
              const { limit: _old, ...rest } = query;
              if (Number.isFinite(limit) && limit > 0) set({ limit });
              else {
                onChange(rest);
                onRunQuery();
              }
            }}
          />
        </InlineField>
        <InlineField label="Format">
          <RadioButtonGroup<QueryModel['format']>
            data-testid={testIds.queryEditor.format}
            options={[
              { value: 'auto', label: 'Auto', description: 'Time series when grouped by time, else table' },
              { value: 'time_series', label: 'Time series' },
              { value: 'table', label: 'Table' },
            ]}
            value={query.format ?? 'auto'}
            onChange={(format) => set({ format })}
          />
        </InlineField>
      </InlineFieldRow>
      <QueryPreview datasource={datasource} query={query} range={range} />
    </Stack>
  );
}
