import type { QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField, InlineFieldRow, Input } from '@grafana/ui';
import React from 'react';
import { testIds } from '../../shared/testIds';
import type { CubeDataSource } from '../datasource';
import type { CubeDataSourceOptions, CubeDataQuery, CubeVariableQuery } from '../types';
import { useCatalog } from './useCatalog';
import { memberOptions, withCurrent } from './memberOptions';

type Props = QueryEditorProps<CubeDataSource, CubeDataQuery, CubeDataSourceOptions, CubeVariableQuery>;

/** A variable lists the values of one dimension. */
export function VariableQueryEditor({ datasource, query, onChange }: Props) {
  const { catalog, error } = useCatalog(datasource);
  const options = withCurrent(memberOptions(catalog, 'dimension'), query.dimension ? [query.dimension] : []);
  return (
    <InlineFieldRow>
      <InlineField
        label="Values of"
        labelWidth={14}
        invalid={Boolean(error)}
        error={error}
        tooltip="The dimension whose distinct values the variable offers."
      >
        <Combobox
          data-testid={testIds.variableEditor.dimension}
          options={options}
          value={query.dimension ?? null}
          width={40}
          placeholder="Choose a dimension"
          onChange={(option) => onChange({ ...query, dimension: option.value })}
        />
      </InlineField>
      <InlineField label="Limit" labelWidth={8}>
        <Input
          type="number"
          width={10}
          value={query.limit ?? 1000}
          onChange={(e) => onChange({ ...query, limit: Number(e.currentTarget.value) || 1000 })}
        />
      </InlineField>
    </InlineFieldRow>
  );
}
