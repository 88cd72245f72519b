import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frameVectors, frameVectorsFile } from '../scripts/frame-vectors';

describe('contract/vectors/frames.json', () => {
  it('is what toDataFrames makes today (WRITE_VECTORS=1 rewrites it)', () => {
    const vectors = frameVectors();
    if (process.env.WRITE_VECTORS === '1') fs.writeFileSync(frameVectorsFile, `${JSON.stringify(vectors, null, 2)}\n`);
    expect(JSON.parse(fs.readFileSync(frameVectorsFile, 'utf8'))).toEqual(vectors);
  });
});
