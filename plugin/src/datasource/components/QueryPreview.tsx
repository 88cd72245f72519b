import { queryToRun } from '@engagement/contract';
import type { DataQueryRequest, TimeRange } from '@grafana/data';
import { Alert, Button, Collapse, Stack } from '@grafana/ui';
import React, { useState } from 'react';
import { testIds } from '../../shared/testIds';
import type { CubeDataSource } from '../datasource';
import type { CubeDataQuery } from '../types';

interface Props {
  datasource: Pick<CubeDataSource, 'getSql' | 'applyTemplateVariables'>;
  query: CubeDataQuery;
  range?: TimeRange;
  /** The panel's last request: its variables and ad-hoc filters are those the query ran with. */
  request?: DataQueryRequest<CubeDataQuery>;
}

/**
 * The Cube query exactly as the backend sends it (variables, ad-hoc filters and the dashboard
 * range applied, by the contract's rule that the backend follows) and the SQL Cube makes of it.
 */
export function QueryPreview({ datasource, query, range, request }: Props) {
  const [open, setOpen] = useState(false);
  const [sql, setSql] = useState<{ text?: string; error?: string }>({});
  const scopedVars = request?.scopedVars ?? {};
  const filters = request?.filters ?? [];
  return (
    <Collapse label="Cube query (JSON) and SQL" isOpen={open} onToggle={() => setOpen(!open)} collapsible>
      <Stack direction="column" gap={1}>
        <pre data-testid={testIds.queryEditor.json}>{open ? sentJson(datasource, query, scopedVars, filters, range) : ''}</pre>
        <div>
          <Button
            size="sm"
            variant="secondary"
            icon="database"
            data-testid={testIds.queryEditor.showSql}
            disabled={!range}
            onClick={() =>
              range &&
              datasource.getSql(query, range, scopedVars, filters).then(
                (text) => setSql({ text }),
                (error: unknown) => setSql({ error: error instanceof Error ? error.message : String(error) }),
              )
            }
          >
            Show SQL
          </Button>
        </div>
        {sql.text && <pre data-testid={testIds.queryEditor.sql}>{sql.text}</pre>}
        {sql.error && (
          <Alert severity="error" title="Cube could not generate SQL">
            {sql.error}
          </Alert>
        )}
      </Stack>
    </Collapse>
  );
}

function sentJson(
  datasource: Props['datasource'],
  query: CubeDataQuery,
  scopedVars: NonNullable<DataQueryRequest['scopedVars']>,
  filters: NonNullable<DataQueryRequest['filters']>,
  range?: TimeRange,
): string {
  try {
    const applied = datasource.applyTemplateVariables(query, scopedVars, filters);
    const dates = range && { from: range.from.toDate(), to: range.to.toDate() };
    return JSON.stringify(queryToRun(applied, dates), null, 2);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
