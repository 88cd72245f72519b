import { Combobox, IconButton, RadioButtonGroup, Stack } from '@grafana/ui';
import React from 'react';
import { testIds } from '../../shared/testIds';
import type { QueryModel } from '../types';

type Order = QueryModel['order'];

interface Props {
  /** Members the query selects, as options; Cube only orders by those. */
  options: Array<{ value: string; label: string }>;
  order: Order;
  onChange(order: Order): void;
}

export function OrderRows({ options, order, onChange }: Props) {
  const update = (index: number, patch: Partial<Order[number]>) => onChange(order.map((o, i) => (i === index ? { ...o, ...patch } : o)));
  return (
    <Stack direction="column" gap={1}>
      {order.map((item, index) => (
        <Stack key={index} gap={1} alignItems="center" data-testid={testIds.queryEditor.orderRow}>
          <Combobox
            aria-label={`Order ${index + 1} member`}
            options={options}
            value={item.member || null}
            width={36}
            placeholder="Order by"
            onChange={(option) => update(index, { member: option.value })}
          />
          <RadioButtonGroup<Order[number]['direction']>
            size="sm"
            options={[
              { value: 'asc', label: 'Ascending' },
              { value: 'desc', label: 'Descending' },
            ]}
            value={item.direction}
            onChange={(direction) => update(index, { direction })}
          />
          <IconButton name="trash-alt" tooltip="Remove ordering" onClick={() => onChange(order.filter((_, i) => i !== index))} />
        </Stack>
      ))}
    </Stack>
  );
}
