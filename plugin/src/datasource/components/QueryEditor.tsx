import type { QueryEditorProps } from '@grafana/data';
import { Alert, Button, InlineField, MultiCombobox, RadioButtonGroup, Stack } from '@grafana/ui';
import React, { useEffect, useState } from 'react';
import { testIds } from '../../shared/testIds';
import type { CubeDataSource } from '../datasource';
import { upgradeTarget, type CubeDataSourceOptions, type CubeDataQuery, type CubeQuery, type EditableTarget } from '../types';
import { FilterGroup, fromTopLevel, topLevel } from './FilterGroup';
import { JsonEditor } from './JsonEditor';
import { memberOptions, withCurrent } from './memberOptions';
import { cubeOrder, orderRows, OrderRows } from './OrderRows';
import { QueryOptions } from './QueryOptions';
import { QueryPreview } from './QueryPreview';
import { TimeDimensionRows } from './TimeDimensionRows';
import { useCatalog } from './useCatalog';

type Props = QueryEditorProps<CubeDataSource, CubeDataQuery, CubeDataSourceOptions>;
type Mode = 'builder' | 'json';

const LABEL_WIDTH = 16;

/** Cube's query built visually from /v1/meta, or written as JSON; a version 1 query is migrated on load. */
export function QueryEditor({ datasource, query, onChange, onRunQuery, range, data }: Props) {
  const { catalog, error } = useCatalog(datasource);
  const [mode, setMode] = useState<Mode>('builder');
  const { target, problem } = readTarget(query);
  useEffect(() => {
    // A version 1 query (a dashboard saved before version 2) is stored back in version 2.
    if (query.version !== 2 && !problem) onChange(target);
  }, [query, target, onChange, problem]);

  const set = (patch: Partial<EditableTarget>, run = true) => {
    onChange({ ...target, ...patch });
    if (run) onRunQuery();
  };
  const setQuery = (patch: Partial<CubeQuery>, run = true) => {
    const cubeQuery = { ...target.cubeQuery, ...patch };
    for (const key of Object.keys(patch) as Array<keyof CubeQuery>) if (patch[key] === undefined) delete cubeQuery[key];
    set({ cubeQuery }, run);
  };
  const q = target.cubeQuery;
  const list = (values: string[]) => (values.length ? values : undefined);
  const selected = [...(q.measures ?? []), ...(q.dimensions ?? []), ...(q.timeDimensions ?? []).map((td) => td.dimension)];
  const filters = topLevel(q.filters);

  return (
    <Stack direction="column" gap={1} data-testid={testIds.queryEditor.root}>
      {error && (
        <Alert severity="error" title="Cannot read the model from Cube">
          {error}
        </Alert>
      )}
      {problem && (
        <Alert severity="error" title="This stored query cannot be read">
          {problem}
        </Alert>
      )}
      <RadioButtonGroup<Mode>
        data-testid={testIds.queryEditor.mode}
        size="sm"
        options={[
          { value: 'builder', label: 'Builder' },
          { value: 'json', label: 'JSON', description: "Cube's REST query, every field of it" },
        ]}
        value={mode}
        onChange={setMode}
      />
      {mode === 'json' ? (
        <JsonEditor cubeQuery={q} check={(raw) => datasource.checkCubeQuery(raw)} onChange={(cubeQuery) => set({ cubeQuery })} />
      ) : (
        <>
          <InlineField label="Measures" labelWidth={LABEL_WIDTH} grow tooltip="Type to search titles, descriptions and names.">
            <MultiCombobox
              data-testid={testIds.queryEditor.measures}
              aria-label="Measures"
              options={withCurrent(memberOptions(catalog, 'measure'), q.measures ?? [])}
              value={q.measures ?? []}
              placeholder="Choose measures"
              loading={!catalog && !error}
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
      )}
      <QueryOptions target={target} onChange={(patch) => set(patch)} />
      <QueryPreview datasource={datasource} query={target} range={range} request={data?.request} />
    </Stack>
  );
}

/** The stored query in version 2, or why it cannot be read (the editor then starts from an empty one). */
function readTarget(query: CubeDataQuery): { target: CubeDataQuery & EditableTarget; problem?: string } {
  try {
    return { target: upgradeTarget(query) };
  } catch (e) {
    const empty = { version: 2, cubeQuery: {}, format: 'auto', periods: 'complete' } as const;
    return { target: { ...query, ...empty }, problem: e instanceof Error ? e.message : String(e) };
  }
}
