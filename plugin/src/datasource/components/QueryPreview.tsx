import type { TimeRange } from '@grafana/data';
import { Alert, Button, Collapse, Stack } from '@grafana/ui';
import React, { useState } from 'react';
import { testIds } from '../../shared/testIds';
import { buildCubeQuery } from '../buildCubeQuery';
import type { CubeDataSource } from '../datasource';
import { parseQueryModel, type CubeDataQuery } from '../types';

interface Props {
  datasource: Pick<CubeDataSource, 'getSql'>;
  query: CubeDataQuery;
  range?: TimeRange;
}

/** Read-only JSON of the Cube query the editor builds, and the SQL Cube makes of it (/v1/sql). */
export function QueryPreview({ datasource, query, range }: Props) {
  const [open, setOpen] = useState(false);
  const [sql, setSql] = useState<{ text?: string; error?: string }>({});
  const json = safeJson(query, range);
  return (
    <Collapse label="Cube query (JSON) and SQL" isOpen={open} onToggle={() => setOpen(!open)} collapsible>
      <Stack direction="column" gap={1}>
        <pre data-testid={testIds.queryEditor.json}>{json}</pre>
        <div>
          <Button
            size="sm"
            variant="secondary"
            icon="database"
            data-testid={testIds.queryEditor.showSql}
            onClick={() =>
              datasource.getSql(query, range).then(
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

function safeJson(query: CubeDataQuery, range?: TimeRange): string {
  try {
    const dates = range && { from: range.from.toDate(), to: range.to.toDate() };
    return JSON.stringify(buildCubeQuery(parseQueryModel(query), dates ? { range: dates } : {}), null, 2);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
