import {
  onUpdateDatasourceJsonDataOption,
  onUpdateDatasourceSecureJsonDataOption,
  updateDatasourcePluginResetOption,
  type DataSourcePluginOptionsEditorProps,
} from '@grafana/data';
import { Field, FieldSet, Input, SecretInput, Text } from '@grafana/ui';
import React from 'react';
import { testIds } from '../../shared/testIds';
import type { CubeDataSourceOptions, CubeSecureJsonData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<CubeDataSourceOptions, CubeSecureJsonData>;

export function ConfigEditor(props: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = props.options;
  return (
    <FieldSet label="Cube">
      <Field
        label="Cube URL"
        description="Cube's address as Grafana's server reaches it, without /cubejs-api (e.g. http://cube:4000)."
        required
      >
        <Input
          data-testid={testIds.configEditor.url}
          value={jsonData.cubeUrl ?? ''}
          placeholder="http://localhost:4000"
          width={60}
          onChange={onUpdateDatasourceJsonDataOption(props, 'cubeUrl')}
        />
      </Field>
      <Field
        label="Token"
        description="A Cube token minted for one tenant (npm run token -- --tenant <id>). Grafana stores it encrypted and only the data source's backend reads it, so it never reaches the browser. Add one data source per tenant."
        required
      >
        <SecretInput
          data-testid={testIds.configEditor.token}
          isConfigured={Boolean(secureJsonFields?.token)}
          value={secureJsonData?.token ?? ''}
          placeholder="eyJhbGciOi…"
          width={60}
          onReset={() => updateDatasourcePluginResetOption(props, 'token')}
          onChange={onUpdateDatasourceSecureJsonDataOption(props, 'token')}
        />
      </Field>
      <Field label="Currency" description="ISO 4217 code for currency measures when the model gives the tenant none (default USD).">
        <Input
          data-testid={testIds.configEditor.currency}
          value={jsonData.currency ?? ''}
          placeholder="USD"
          width={12}
          onChange={onUpdateDatasourceJsonDataOption(props, 'currency')}
        />
      </Field>
      <Text color="secondary" element="p">
        Save &amp; test checks that Cube answers and accepts the token, and counts the measures that carry a benchmark.
      </Text>
    </FieldSet>
  );
}
