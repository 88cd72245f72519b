import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { CubeDataSource } from './datasource';
import type { CubeDataSourceOptions, CubeQuery, CubeSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<CubeDataSource, CubeQuery, CubeDataSourceOptions, CubeSecureJsonData>(CubeDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
