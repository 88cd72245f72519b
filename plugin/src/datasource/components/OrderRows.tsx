import { Combobox, IconButton, RadioButtonGroup, Stack } from '@grafana/ui';
import React from 'react';
import { testIds } from '../../shared/testIds';
import type { CubeQuery } from '../types';

type Direction = 'asc' | 'desc';
type Order = Array<{ member: string; direction: Direction }>;

/** Cube's order, in either of its forms, as editor rows. */
export function orderRows(order: CubeQuery['order']): Order {
  if (!order) return [];
  const entries = Array.isArray(order) ? order : Object.entries(order);
  return entries.map(([member, direction]) => ({ member, direction }));
}

/** Editor rows back to Cube's list form, which keeps their order; rows without a member are left out. */
export function cubeOrder(rows: Order): CubeQuery['order'] {
  const complete = rows.filter((o) => o.member);
  return complete.length ? complete.map((o): [string, Direction] => [o.member, o.direction]) : undefined;
}

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
          <RadioButtonGroup<Direction>
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
