import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { testIds } from '../../shared/testIds';
import type { EditableTarget } from '../types';
import { QueryOptions } from './QueryOptions';

const start: EditableTarget = {
  version: 2,
  cubeQuery: { measures: ['customer_health.nps'], limit: 50 },
  format: 'auto',
  periods: 'complete',
};

/** The options are controlled: keep the target in state as the query editor does. */
function Harness({ seen }: { seen: EditableTarget[] }) {
  const [target, setTarget] = useState(start);
  return (
    <QueryOptions
      target={target}
      onChange={(patch) => {
        const next = { ...target, ...patch };
        seen.push(next);
        setTarget(next);
      }}
    />
  );
}

describe('QueryOptions', () => {
  it("writes limit, offset, total and ungrouped into Cube's query, and drops what is cleared", async () => {
    const seen: EditableTarget[] = [];
    render(<Harness seen={seen} />);
    const limit = screen.getByTestId(testIds.queryEditor.limit);
    const offset = screen.getByTestId(testIds.queryEditor.offset);
    expect(limit).toHaveValue(50);

    await userEvent.clear(limit);
    await userEvent.type(limit, '200');
    await userEvent.type(offset, '40');
    await userEvent.click(screen.getByTestId(testIds.queryEditor.total));
    await userEvent.click(screen.getByTestId(testIds.queryEditor.ungrouped));
    await userEvent.click(limit);
    expect(seen.at(-1)!.cubeQuery).toEqual({ measures: ['customer_health.nps'], limit: 200, offset: 40, total: true, ungrouped: true });

    // 0 rows skipped is no offset; a switch turned off leaves Cube's default.
    await userEvent.clear(offset);
    await userEvent.type(offset, '0');
    await userEvent.click(screen.getByTestId(testIds.queryEditor.total));
    expect(seen.at(-1)!.cubeQuery).toEqual({ measures: ['customer_health.nps'], limit: 200, ungrouped: true });
  });
});
