import { funnelMetaOf, type FunnelMetaResult } from '@engagement/contract';
import { getDataSourceSrv } from '@grafana/runtime';
import { useEffect, useState } from 'react';
import type { Catalog } from '../../datasource/meta';

export type FunnelMetaState = FunnelMetaResult | { loading: true };

const hasCatalog = (ds: object): ds is { getCatalog(): Promise<Catalog> } =>
  typeof (ds as { getCatalog?: unknown }).getCatalog === 'function';

/**
 * The funnel cube's `meta.funnel` (window and steps) from the panel's data source (by uid; none: the default): our Cube data
 * source's catalog (/v1/meta, cached per data source). Undefined for another data source or a cube
 * without funnel meta; the issue when the meta does not read or /v1/meta fails.
 */
export function useFunnelMeta(datasourceUid: string | undefined, cube: string | undefined): FunnelMetaState {
  const key = `${datasourceUid ?? ''}|${cube ?? ''}`;
  // The answer for one data source and cube; another key is still loading.
  const [answer, setAnswer] = useState<{ key: string; result: FunnelMetaResult }>();
  useEffect(() => {
    if (!cube) return;
    let live = true;
    const settle = (result: FunnelMetaResult) => live && setAnswer({ key, result });
    getDataSourceSrv()
      .get(datasourceUid)
      .then(async (ds) => (hasCatalog(ds) ? funnelMetaOf(cube, (await ds.getCatalog()).cubeMeta(cube)) : undefined))
      .then(settle, (error: unknown) =>
        settle({ issue: `Cannot read the conversion window: ${error instanceof Error ? error.message : String(error)}` }),
      );
    return () => {
      live = false;
    };
  }, [key, datasourceUid, cube]);
  if (!cube) return undefined;
  return answer?.key === key ? answer.result : { loading: true };
}
