import { Alert, Stack, TextArea } from '@grafana/ui';
import React, { useState } from 'react';
import { testIds } from '../../shared/testIds';
import type { CubeQuery } from '../types';

interface Props {
  cubeQuery: CubeQuery;
  /** The error, naming the field, if the query (variables replaced) is not a valid Cube query. */
  check(cubeQuery: unknown): string | undefined;
  onChange(cubeQuery: CubeQuery): void;
}

/** Cube's REST query as JSON, editable; a change is taken only when it is a valid Cube query. */
export function JsonEditor({ cubeQuery, check, onChange }: Props) {
  const [text, setText] = useState(() => JSON.stringify(cubeQuery, null, 2));
  const [error, setError] = useState<string>();
  const apply = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return setError(`Not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const problem = check(parsed);
    setError(problem);
    if (!problem) onChange(parsed as CubeQuery);
  };
  return (
    <Stack direction="column" gap={1}>
      <TextArea
        data-testid={testIds.queryEditor.jsonInput}
        aria-label="Cube query JSON"
        rows={Math.min(30, Math.max(8, text.split('\n').length + 1))}
        value={text}
        spellCheck={false}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={apply}
        style={{ fontFamily: 'monospace' }}
      />
      {error && (
        <Alert severity="error" title="Not applied" data-testid={testIds.queryEditor.jsonError}>
          {error}
        </Alert>
      )}
    </Stack>
  );
}
