import { InlineField, InlineFieldRow, InlineSwitch, Input, RadioButtonGroup } from '@grafana/ui';
import React from 'react';
import { testIds } from '../../shared/testIds';
import type { CubeQuery, EditableTarget, PeriodMode, TargetFormat } from '../types';
import { patchQuery } from './patchQuery';

interface Props {
  target: EditableTarget;
  onChange(patch: Partial<EditableTarget>): void;
}

const LABEL_WIDTH = 16;

/** Paging, totals, raw rows and time zone of Cube's query, and how the panel shapes and judges it. */
export function QueryOptions({ target, onChange }: Props) {
  const { cubeQuery } = target;
  const setQuery = (patch: Partial<CubeQuery>) => onChange({ cubeQuery: patchQuery(cubeQuery, patch) });
  const whole = (text: string, min: number) => {
    const value = Number.parseInt(text, 10);
    return Number.isFinite(value) && value >= min ? value : undefined;
  };
  return (
    <>
      <InlineFieldRow>
        <InlineField label="Limit" labelWidth={LABEL_WIDTH}>
          <Input
            data-testid={testIds.queryEditor.limit}
            aria-label="Limit"
            type="number"
            min={1}
            width={12}
            placeholder="10000"
            defaultValue={cubeQuery.limit ?? ''}
            onBlur={(e) => setQuery({ limit: whole(e.currentTarget.value, 1) })}
          />
        </InlineField>
        <InlineField label="Offset" tooltip="Skip this many rows: with Limit, pages through a long table.">
          <Input
            data-testid={testIds.queryEditor.offset}
            aria-label="Offset"
            type="number"
            min={0}
            width={12}
            placeholder="0"
            defaultValue={cubeQuery.offset ?? ''}
            onBlur={(e) => setQuery({ offset: whole(e.currentTarget.value, 1) })}
          />
        </InlineField>
        <InlineField label="Total rows" tooltip="Ask Cube for the row count without the limit.">
          <InlineSwitch
            data-testid={testIds.queryEditor.total}
            aria-label="Total rows"
            value={cubeQuery.total ?? false}
            onChange={(e) => setQuery({ total: e.currentTarget.checked || undefined })}
          />
        </InlineField>
        <InlineField label="Ungrouped" tooltip="One row per source row, no aggregation (Cube's ungrouped query).">
          <InlineSwitch
            data-testid={testIds.queryEditor.ungrouped}
            aria-label="Ungrouped"
            value={cubeQuery.ungrouped ?? false}
            onChange={(e) => setQuery({ ungrouped: e.currentTarget.checked || undefined })}
          />
        </InlineField>
        <InlineField label="Time zone" tooltip="Cube groups days and months in this zone; empty is UTC.">
          <Input
            data-testid={testIds.queryEditor.timezone}
            aria-label="Time zone"
            width={20}
            placeholder="UTC"
            defaultValue={cubeQuery.timezone ?? ''}
            onBlur={(e) => setQuery({ timezone: e.currentTarget.value.trim() || undefined })}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label="Format" labelWidth={LABEL_WIDTH}>
          <RadioButtonGroup<TargetFormat>
            data-testid={testIds.queryEditor.format}
            options={[
              { value: 'auto', label: 'Auto', description: 'Time series when grouped by time, else table' },
              { value: 'time_series', label: 'Time series' },
              { value: 'table', label: 'Table' },
            ]}
            value={target.format}
            onChange={(format) => onChange({ format })}
          />
        </InlineField>
        <InlineField
          label="Periods"
          tooltip="With a granularity: end with the last complete period (the default), or include the current one so far."
        >
          <RadioButtonGroup<PeriodMode>
            data-testid={testIds.queryEditor.periods}
            options={[
              { value: 'complete', label: 'Last complete', description: 'A tile judges the last period that has ended' },
              { value: 'to_date', label: 'Current to date', description: 'Includes the period in progress, labelled “to date”' },
            ]}
            value={target.periods}
            onChange={(periods) => onChange({ periods })}
          />
        </InlineField>
      </InlineFieldRow>
    </>
  );
}
