import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, ImportRefused, type ImportOptions } from '../../src/import/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { scratchDir, writeInput } from './support.js';

// The social and review tables come to the import from the catalog, like the others: each
// loads from a CSV, and a row that breaks one of its rules is refused with the column named.
let database: TestDatabase;
let dir: string;

const run = (table: string, file: string, extra: Partial<ImportOptions> = {}) =>
  importFile({ url: database.url, tenant: 'shop', table, file, ...extra });

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await scratchDir();
  const customers = await writeInput(dir, 'customers.csv', 'id,signup_at\nC-1,2025-01-05\n');
  await run('customers', customers, { tenantName: 'Shop', businessModel: 'b2c' });
});
afterAll(async () => {
  await database?.drop();
});

describe('importing the social and review tables', () => {
  it('loads social account days, with the counts a source lacks left empty', async () => {
    const file = await writeInput(
      dir,
      'days.csv',
      'id,platform,day,followers,mentions,messages_received,messages_answered,response_minutes,stories,story_viewers,story_completions\n' +
        'D-1,instagram,2025-04-01,1010,3,4,3,90,2,200,170\n' +
        'D-2,x,2025-04-01,500,,,,,,,\n',
    );
    expect(await run('social_account_days', file)).toMatchObject({ rows: 2, added: 2 });
    const rows = await database
      .db('social_account_days')
      .where({ tenant_id: 'shop' })
      .orderBy('id')
      .select('id', 'followers', 'story_viewers');
    expect(rows).toEqual([
      { id: 'D-1', followers: 1010, story_viewers: 200 },
      { id: 'D-2', followers: 500, story_viewers: null },
    ]);
  });

  it('loads reviews, matched to a customer or not', async () => {
    const file = await writeInput(
      dir,
      'reviews.csv',
      'id,customer_id,rating,reviewed_at,source,body\nR-1,C-1,5,2025-04-02T10:00:00Z,google,"Great, thanks"\nR-2,,2,2025-04-03,trustpilot,\n',
    );
    expect(await run('reviews', file)).toMatchObject({ rows: 2, added: 2 });
    const rows = await database.db('reviews').where({ tenant_id: 'shop' }).orderBy('id').select('id', 'customer_id', 'rating', 'body');
    expect(rows).toEqual([
      { id: 'R-1', customer_id: 'C-1', rating: 5, body: 'Great, thanks' },
      { id: 'R-2', customer_id: null, rating: 2, body: null },
    ]);
  });

  it('loads posts with clicks, saves and conversions', async () => {
    const file = await writeInput(
      dir,
      'posts.csv',
      'id,platform,posted_at,followers,likes,shares,comments,impressions,clicks,saves,conversions\nP-1,instagram,2025-04-03T12:00:00Z,10000,50,5,3,2000,40,30,4\n',
    );
    expect(await run('social_posts', file)).toMatchObject({ rows: 1, added: 1 });
  });

  it.each([
    [
      'reviews',
      'id,rating,reviewed_at\nR-9,6,2025-04-02\n',
      'bad-reviews.csv:2: rating: value out of range (got "6", expected (rating >= 1) AND (rating <= 5))',
    ],
    [
      'social_account_days',
      'id,platform,day,followers,story_viewers,story_completions\nD-9,instagram,2025-04-02,10,5,6\n',
      'bad-social_account_days.csv:2: story_completions, story_viewers: value out of range (got story_completions "6", story_viewers "5", expected (story_completions IS NULL) OR ((story_viewers IS NOT NULL) AND ((story_completions >= 0) AND (story_completions <= story_viewers))))',
    ],
  ])('refuses a %s row that breaks a rule, naming the column', async (table, content, message) => {
    const error = await run(table, await writeInput(dir, `bad-${table}.csv`, content)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRefused);
    expect((error as ImportRefused).message.replace(`${dir}/`, '')).toContain(message);
  });
});
