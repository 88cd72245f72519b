import { schemaDir } from '@engagement/contract/node';
import { startCubeServer, type RunningCube } from '../../src/cube/server.js';
import { mintToken } from '../../src/cube/tokens.js';
import { CubeClient } from '../../src/cube/client.js';

export const TEST_API_SECRET = 'test-secret-that-is-long-enough';

/** Any JSON object: tests also send queries Cube must refuse (valid ones are the contract's CubeQuery). */
export type CubeQuery = Record<string, unknown>;
export type Row = Record<string, string | number | boolean | null>;

/** Cube's /load answer: the rows, and the rollup tables it read them from (none: the raw tables). */
export interface LoadBody {
  data: Row[];
  usedPreAggregations: Record<string, unknown>;
}

export interface TestCube {
  cube: RunningCube;
  token(claims: { tenant?: string; admin?: boolean }): string;
  /** Runs a query for a tenant over HTTP and returns its rows; throws with Cube's error text. */
  load(tenant: string, query: CubeQuery): Promise<Row[]>;
  loadBody(tenant: string, query: CubeQuery): Promise<LoadBody>;
  stop(): Promise<void>;
}

/**
 * A real Cube server on a free port, serving the project's model from the given warehouse;
 * `preAggregations: false` serves it without its rollups.
 */
export async function startTestCube(databaseUrl: string, options: { preAggregations?: boolean } = {}): Promise<TestCube> {
  const cube = await startCubeServer({ databaseUrl, port: 0, apiSecret: TEST_API_SECRET, schemaPath: schemaDir, ...options });
  const token = (claims: { tenant?: string; admin?: boolean }) => mintToken(TEST_API_SECRET, claims);
  const loadBody = async (tenant: string, query: CubeQuery): Promise<LoadBody> =>
    (await new CubeClient(cube.apiUrl, token({ tenant })).loadResult(query)) as LoadBody;
  return {
    cube,
    token,
    loadBody,
    load: async (tenant, query) => (await loadBody(tenant, query)).data,
    stop: () => cube.stop(),
  };
}
