import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyWriter } from '../../seeds/copy.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await database?.drop();
});

/** Pushes one row per word through a CopyWriter, flushing as the loader does, and reads them back in order. */
async function roundTrip(words: string[]): Promise<{ copied: string[]; flushes: number[] }> {
  await client.query('BEGIN');
  try {
    await client.query('CREATE TABLE copied (n int PRIMARY KEY, word text)');
    const flushes: number[] = [];
    const writer = new CopyWriter(client, 'copied', ['n', 'word'], (rows) => flushes.push(rows));
    for (const [n, word] of words.entries()) {
      writer.push(`${n}\t${word}\n`);
      if (writer.full) await writer.flush();
    }
    await writer.end();
    const { rows } = await client.query<{ word: string }>('SELECT word FROM copied ORDER BY n');
    return { copied: rows.map((r) => r.word), flushes };
  } finally {
    await client.query('ROLLBACK');
  }
}

describe('CopyWriter', () => {
  it('sends every row once and in order across many chunks, with multi-byte text and a row longer than a chunk', async () => {
    // 300k short rows span many 256 KiB chunks; "Zürich", "→" and "😀" take 2, 3 and 4 bytes in
    // UTF-8, so chunks end between rows of unequal byte lengths; one row of 1 MB is four chunks long.
    const words = Array.from({ length: 300_000 }, (_, i) => ['Zürich', '→', '😀', `w${i}`][i % 4]!);
    words[150_000] = 'x'.repeat(1_000_000);
    const { copied, flushes } = await roundTrip(words);
    expect(copied).toHaveLength(words.length);
    expect(copied).toEqual(words);
    expect(flushes.length).toBeGreaterThan(5);
    expect(flushes).toEqual([...flushes].sort((a, b) => a - b));
    expect(flushes.at(-1)).toBe(words.length);
  });
});
