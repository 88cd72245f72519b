import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { captureFixtures, fixturesDir } from '../../scripts/fixtures';

describe('captured fixtures (src/datasource/__fixtures__)', () => {
  it('are what the live Cube answers today (run `npm run fixtures` after changing the model)', async () => {
    const fresh = await captureFixtures(inject('stack'));
    const committed = fs
      .readdirSync(fixturesDir)
      .filter((file) => file.endsWith('.json'))
      .sort();
    expect(committed).toEqual(Object.keys(fresh).sort());
    for (const file of committed) expect(fs.readFileSync(path.join(fixturesDir, file), 'utf8'), file).toBe(fresh[file]);
  });
});
