import type { QueryEditorProps } from '@grafana/data';
import { Alert, RadioButtonGroup, Stack } from '@grafana/ui';
import React, { useEffect, useState } from 'react';
import { testIds } from '../../shared/testIds';
import type { CubeDataSource } from '../datasource';
import { upgradeTarget, type CubeDataSourceOptions, type CubeDataQuery, type CubeQuery, type EditableTarget } from '../types';
import { Builder } from './Builder';
import { JsonEditor } from './JsonEditor';
import { patchQuery } from './patchQuery';
import { QueryOptions } from './QueryOptions';
import { QueryPreview } from './QueryPreview';
import { useCatalog } from './useCatalog';

type Props = QueryEditorProps<CubeDataSource, CubeDataQuery, CubeDataSourceOptions>;
type Mode = 'builder' | 'json';

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
  const setQuery = (patch: Partial<CubeQuery>, run = true) => set({ cubeQuery: patchQuery(target.cubeQuery, patch) }, run);

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
        <JsonEditor
          cubeQuery={target.cubeQuery}
          check={(raw) => datasource.checkCubeQuery(raw)}
          onChange={(cubeQuery) => set({ cubeQuery })}
        />
      ) : (
        <Builder catalog={catalog} loading={!catalog && !error} cubeQuery={target.cubeQuery} onChange={setQuery} />
      )}
      {/* Keyed on the values its text fields start from, so a change made in JSON mode shows there too. */}
      <QueryOptions
        key={[target.cubeQuery.limit, target.cubeQuery.offset, target.cubeQuery.timezone].join('|')}
        target={target}
        onChange={(patch) => set(patch)}
      />
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
