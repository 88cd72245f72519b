import { z } from 'zod';
import type { CubeQuery, PanelQuery } from '@engagement/contract';
import type { CubeClient } from '../src/cube/client.js';
import { timeRuns, timingSchema, type Timing } from './stats.js';

/**
 * Every provisioned board, served from its rollups: each of its queries with Cube's result
 * cache bypassed, then the whole board at once, uncached and from Cube's cache. The executive
 * board is timed in more ways beside the hand SQL (measure.ts); this covers the others too.
 */

export const boardResultSchema = z.object({
  dashboard: z.string(),
  queries: z.array(
    z.object({
      panel: z.string(),
      uncached: timingSchema,
      /** Rollup tables that answered; empty: the raw tables did. */
      rollupTables: z.array(z.string()),
    }),
  ),
  uncached: timingSchema,
  warm: timingSchema,
});
export type BoardResult = z.infer<typeof boardResultSchema>;

export interface BoardOptions {
  client: CubeClient;
  panels: PanelQuery[];
  runs: number;
  /** The query made different on every call (a varying row limit), so Cube's cache cannot answer it. */
  uncached: (query: CubeQuery) => CubeQuery;
  step: (label: string) => void;
}

/** A board's distinct queries, each under the title of the first panel that sends it. */
export function distinctQueries(panels: PanelQuery[]): PanelQuery[] {
  const seen = new Set<string>();
  return panels.filter((panel) => {
    const key = JSON.stringify(panel.query);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function measureBoards(options: BoardOptions): Promise<BoardResult[]> {
  const dashboards = [...new Set(options.panels.map((panel) => panel.dashboard))];
  const results: BoardResult[] = [];
  for (const dashboard of dashboards) {
    options.step(`${dashboard}: every query from rollups`);
    const panels = options.panels.filter((panel) => panel.dashboard === dashboard);
    // Its first open builds any rollup partition it needs; that is timed elsewhere, not here.
    await Promise.all(panels.map((panel) => options.client.loadResult(panel.query)));
    const queries: BoardResult['queries'] = [];
    for (const panel of distinctQueries(panels)) {
      const { timing, last } = await timeRuns(options.runs, () => options.client.loadResult(options.uncached(panel.query)));
      queries.push({ panel: panel.panel, uncached: timing, rollupTables: Object.keys(last.usedPreAggregations) });
    }
    const wholeBoard = (fresh: boolean) => () =>
      Promise.all(panels.map((panel) => options.client.loadResult(fresh ? options.uncached(panel.query) : panel.query)));
    const uncached = (await timeRuns(options.runs, wholeBoard(true))).timing;
    const warm = (await timeRuns(options.runs, wholeBoard(false))).timing;
    results.push({ dashboard, queries, uncached, warm });
  }
  return results;
}

/** The slowest query of a board by p95, for the report. */
export function slowestQuery(board: BoardResult): { panel: string; timing: Timing } {
  const [slowest] = [...board.queries].sort((a, b) => b.uncached.p95Ms - a.uncached.p95Ms);
  if (!slowest) throw new Error(`Board ${board.dashboard} has no queries`);
  return { panel: slowest.panel, timing: slowest.uncached };
}
