import { useEffect, useState } from 'react';
import type { CubeDataSource } from '../datasource';
import type { Catalog } from '../meta';

/** The data source's /v1/meta catalog, loaded once; the error is Cube's own text. */
export function useCatalog(datasource: Pick<CubeDataSource, 'getCatalog'>): { catalog?: Catalog; error?: string } {
  const [state, setState] = useState<{ catalog?: Catalog; error?: string }>({});
  useEffect(() => {
    let live = true;
    datasource.getCatalog().then(
      (catalog) => live && setState({ catalog }),
      (error: unknown) => live && setState({ error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [datasource]);
  return state;
}
