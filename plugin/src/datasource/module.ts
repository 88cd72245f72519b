import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { CubeDataSource } from './datasource';
import type { CubeDataSourceOptions, CubeDataQuery, CubeSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<CubeDataSource, CubeDataQuery, CubeDataSourceOptions, CubeSecureJsonData>(CubeDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
