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

/** A positive whole number from an input's text; blank, 0 or junk is undefined (Cube's default). */
function positiveWhole(text: string): number | undefined {
  const value = Number.parseInt(text, 10);
  return Number.isFinite(value) && value >= 1 ? value : undefined;
}

interface NumberOptionProps {
  label: string;
  tooltip?: string;
  labelWidth?: number;
  testId: string;
  min: number;
  placeholder: string;
  value: number | undefined;
  onChange(value: number | undefined): void;
}

function NumberOption({ label, tooltip, labelWidth, testId, min, placeholder, value, onChange }: NumberOptionProps) {
  return (
    <InlineField label={label} tooltip={tooltip} labelWidth={labelWidth}>
      <Input
        data-testid={testId}
        aria-label={label}
        type="number"
        min={min}
        width={12}
        placeholder={placeholder}
        defaultValue={value ?? ''}
        onBlur={(e) => onChange(positiveWhole(e.currentTarget.value))}
      />
    </InlineField>
  );
}

interface SwitchOptionProps {
  label: string;
  tooltip: string;
  testId: string;
  value: boolean | undefined;
  onChange(value: true | undefined): void;
}

function SwitchOption({ label, tooltip, testId, value, onChange }: SwitchOptionProps) {
  return (
    <InlineField label={label} tooltip={tooltip}>
      <InlineSwitch
        data-testid={testId}
        aria-label={label}
        value={value ?? false}
        onChange={(e) => onChange(e.currentTarget.checked || undefined)}
      />
    </InlineField>
  );
}

/** Paging, totals, raw rows and time zone of Cube's query, and how the panel shapes and judges it. */
export function QueryOptions({ target, onChange }: Props) {
  const { cubeQuery } = target;
  const setQuery = (patch: Partial<CubeQuery>) => onChange({ cubeQuery: patchQuery(cubeQuery, patch) });
  return (
    <>
      <InlineFieldRow>
        <NumberOption
          label="Limit"
          labelWidth={LABEL_WIDTH}
          testId={testIds.queryEditor.limit}
          min={1}
          placeholder="10000"
          value={cubeQuery.limit}
          onChange={(limit) => setQuery({ limit })}
        />
        <NumberOption
          label="Offset"
          tooltip="Skip this many rows: with Limit, pages through a long table."
          testId={testIds.queryEditor.offset}
          min={0}
          placeholder="0"
          value={cubeQuery.offset}
          onChange={(offset) => setQuery({ offset })}
        />
        <SwitchOption
          label="Total rows"
          tooltip="Ask Cube for the row count without the limit."
          testId={testIds.queryEditor.total}
          value={cubeQuery.total}
          onChange={(total) => setQuery({ total })}
        />
        <SwitchOption
          label="Ungrouped"
          tooltip="One row per source row, no aggregation (Cube's ungrouped query)."
          testId={testIds.queryEditor.ungrouped}
          value={cubeQuery.ungrouped}
          onChange={(ungrouped) => setQuery({ ungrouped })}
        />
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
