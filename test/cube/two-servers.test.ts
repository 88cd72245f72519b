import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCube, type TestCube } from '../support/cube.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ACME, seedTwoTenants } from './support.js';

const databases: TestDatabase[] = [];
const cubes: TestCube[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) databases.push(await createTestDatabase());
  // The same tenant in both warehouses; in the second, one more NPS answer: a detractor.
  for (const database of databases) await seedTwoTenants(database.db);
  await databases[1]!
    .db('survey_responses')
    .insert({ id: 99, tenant_id: ACME, customer_id: 1, kind: 'nps', score: 0, touchpoint: 'email', responded_at: '2026-03-10T12:00:00Z' });
  for (const database of databases) cubes.push(await startTestCube(database.url));
});

afterAll(async () => {
  for (const cube of cubes) await cube.stop();
  for (const database of databases) await database.drop();
});

describe('two Cube servers in one process', () => {
  it('each answers from its own warehouse, though the query and its SQL are the same', async () => {
    const query = { measures: ['survey_responses.nps_responses', 'survey_responses.nps'] };
    // Acme's NPS answers: 10, 9, 3 → (2 − 1) / 3; the second warehouse adds a 0 → (2 − 2) / 4.
    expect(await cubes[0]!.load(ACME, query)).toEqual([{ 'survey_responses.nps_responses': 3, 'survey_responses.nps': 100 / 3 }]);
    expect(await cubes[1]!.load(ACME, query)).toEqual([{ 'survey_responses.nps_responses': 4, 'survey_responses.nps': 0 }]);
  });
});
