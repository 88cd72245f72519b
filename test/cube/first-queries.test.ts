import { describe, expect, it } from 'vitest';
import { ACME, GLOBEX, load, tokenFor, useTwoTenantCube } from './support.js';

// A board opened on a server that has not answered anything yet sends all its panels' queries
// at once. Before the fix each of them created Cube's orchestrator anew (cube-js/cube#9713), and
// all of them waited until the client gave up.
const PANELS = 11;
const TIMEOUT_MS = 15_000;

const fixture = useTwoTenantCube();

describe('the first queries a fresh server gets', () => {
  it(`answers ${PANELS} sent at once, each for its own tenant`, async () => {
    const tenantOf = (panel: number) => (panel % 2 === 0 ? ACME : GLOBEX);
    const answers = await Promise.all(
      Array.from({ length: PANELS }, async (_, panel) => {
        // A limit of its own per panel, so that no two queries share a cache entry or a queue slot.
        const query = { measures: ['survey_responses.average_score'], limit: 100 + panel };
        try {
          const { status, body } = await load(fixture.cube, tokenFor(tenantOf(panel)), query, TIMEOUT_MS);
          return { panel, status, data: body.data ?? body.error };
        } catch (error) {
          return { panel, status: 'no answer', data: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    // Acme's scores: 10, 9, 3, 5; Globex's: 7, 2.
    expect(answers).toEqual(
      answers.map(({ panel }) => ({
        panel,
        status: 200,
        data: [{ 'survey_responses.average_score': tenantOf(panel) === ACME ? 6.75 : 4.5 }],
      })),
    );
  });
});
