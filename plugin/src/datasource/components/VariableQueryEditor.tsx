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
      <InlineField
        label="Seen within"
        labelWidth={12}
        tooltip="Optional: only values seen in the dashboard's range on this time dimension."
      >
        <Combobox
          aria-label="Time dimension"
          options={withCurrent(memberOptions(catalog, 'timeDimension'), query.timeDimension ? [query.timeDimension] : [])}
          value={query.timeDimension ?? null}
          width={32}
          placeholder="any time"
          isClearable
          onChange={(option) => {
            const { timeDimension: _old, ...rest } = query;
            onChange(option ? { ...rest, timeDimension: option.value } : rest);
          }}
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
