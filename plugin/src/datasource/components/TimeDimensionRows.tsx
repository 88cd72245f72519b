import { Button, Combobox, IconButton, InlineField, InlineFieldRow, Input, TagsInput } from '@grafana/ui';
import React, { useState } from 'react';
import { testIds } from '../../shared/testIds';
import type { Catalog } from '../meta';
import { granularities, type CubeTimeDimension, type Granularity } from '../types';
import { parseRangeText, rangeText } from './dateRangeText';
import { memberOptions, withCurrent } from './memberOptions';

interface Props {
  catalog?: Catalog;
  timeDimensions: CubeTimeDimension[];
  onChange(timeDimensions: CubeTimeDimension[]): void;
}

const NO_GRANULARITY = 'none';

/** Cube's timeDimensions: each groups by a granularity and filters by its own range, the dashboard's or compared ranges. */
export function TimeDimensionRows({ catalog, timeDimensions, onChange }: Props) {
  // A row being added has no dimension yet, which Cube would refuse: it stays here until one is chosen.
  const [adding, setAdding] = useState(false);
  const rows = adding || !timeDimensions.length ? [...timeDimensions, { dimension: '', granularity: 'month' as const }] : timeDimensions;
  const commit = (next: CubeTimeDimension[]) => {
    setAdding(false);
    onChange(next.filter((td) => td.dimension));
  };
  const options = withCurrent(
    memberOptions(catalog, 'timeDimension'),
    timeDimensions.map((td) => td.dimension),
  );
  const update = (index: number, td: CubeTimeDimension) => commit(rows.map((t, i) => (i === index ? td : t)));
  return (
    <>
      {rows.map((td, index) => {
        const { dateRange: _range, compareDateRange: _compare, ...bare } = td;
        return (
          <InlineFieldRow key={index} data-testid={testIds.queryEditor.timeRow}>
            <InlineField label="Time" labelWidth={16} tooltip="Without a range of its own, the dashboard's time range filters it.">
              <Combobox
                data-testid={testIds.queryEditor.timeDimension}
                aria-label={index ? `Time dimension ${index + 1}` : 'Time dimension'}
                options={options}
                value={td.dimension || null}
                width={36}
                placeholder="Time dimension"
                onChange={(option) => update(index, { ...td, dimension: option.value })}
              />
            </InlineField>
            <InlineField label="By">
              <Combobox
                data-testid={testIds.queryEditor.granularity}
                aria-label={index ? `Granularity ${index + 1}` : 'Granularity'}
                options={[
                  { value: NO_GRANULARITY, label: 'no grouping (filter only)' },
                  ...granularities.map((g) => ({ value: g, label: g })),
                ]}
                value={td.granularity ?? NO_GRANULARITY}
                width={24}
                onChange={(option) => {
                  const { granularity: _old, ...rest } = td;
                  update(index, option.value === NO_GRANULARITY ? rest : { ...rest, granularity: option.value as Granularity });
                }}
              />
            </InlineField>
            <InlineField
              label="Range"
              disabled={Boolean(td.compareDateRange)}
              tooltip="Empty: the dashboard's range. Or 'last 12 months', or '2025-01-01 to 2025-03-31'."
            >
              <Input
                data-testid={testIds.queryEditor.dateRange}
                aria-label={index ? `Date range ${index + 1}` : 'Date range'}
                width={24}
                placeholder="dashboard range"
                defaultValue={rangeText(td.dateRange)}
                onBlur={(e) => {
                  const dateRange = parseRangeText(e.currentTarget.value);
                  const { dateRange: _old, ...rest } = td;
                  update(index, dateRange ? { ...rest, dateRange } : rest);
                }}
              />
            </InlineField>
            <InlineField label="Compare" tooltip="Several ranges side by side (Cube's compareDateRange), each relative or 'from to to'.">
              <div data-testid={testIds.queryEditor.compareRanges}>
                <TagsInput
                  width={36}
                  placeholder="this year, Enter; last year, Enter"
                  tags={(td.compareDateRange ?? []).map(rangeText)}
                  onChange={(tags) => {
                    const ranges = tags.map(parseRangeText).filter((r) => r !== undefined);
                    update(
                      index,
                      ranges.length
                        ? { ...bare, compareDateRange: ranges }
                        : { ...bare, ...(td.dateRange ? { dateRange: td.dateRange } : {}) },
                    );
                  }}
                />
              </div>
            </InlineField>
            <IconButton name="trash-alt" tooltip="Remove time dimension" onClick={() => commit(rows.filter((_, i) => i !== index))} />
          </InlineFieldRow>
        );
      })}
      <div>
        <Button
          size="sm"
          variant="secondary"
          icon="plus"
          data-testid={testIds.queryEditor.addTimeDimension}
          disabled={adding || !timeDimensions.length}
          onClick={() => setAdding(true)}
        >
          Time dimension
        </Button>
      </div>
    </>
  );
}
