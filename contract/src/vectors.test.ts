import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { queryToRun } from './saved-target.js';

// The vectors the TypeScript side and the Go backend both check (contract/vectors/*.json): every
// file is read, and each case is either checked here or its kind is named below with the reason.
const vectorsDir = path.resolve(import.meta.dirname, '../vectors');

const queryCaseSchema = z.object({
  name: z.string().min(1),
  saved: z.unknown(),
  range: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }).optional(),
  now: z.iso.datetime().optional(),
  expect: z.union([z.object({ cubeQuery: z.record(z.string(), z.unknown()) }), z.object({ error: z.string().min(1) })]),
});

/** Case kinds the TypeScript side does not check, by file, and why. */
const notCheckedHere: Record<string, string> = {
  'frames.json':
    "frame vectors are captured from the TypeScript toDataFrames + fieldConfig outputs by the Go side's generator, so only the Go conversion is checked against them",
};

const files = fs
  .readdirSync(vectorsDir)
  .filter((file) => file.endsWith('.json'))
  .sort();

describe('shared test vectors (contract/vectors)', () => {
  it('include the frontend’s own file', () => {
    expect(files).toContain('query-model-frontend.json');
  });

  describe.each(files)('%s', (file) => {
    const cases = z.array(z.record(z.string(), z.unknown())).parse(JSON.parse(fs.readFileSync(path.join(vectorsDir, file), 'utf8')));
    const queryCases = cases.filter((c) => 'saved' in c);
    const others = cases.filter((c) => !('saved' in c));

    it('has only case kinds this side checks, or is named as checked elsewhere', () => {
      expect(cases.length).toBeGreaterThan(0);
      if (others.length) expect(Object.keys(notCheckedHere), `${file} has cases without "saved"`).toContain(file);
    });

    it.each(queryCases.map((c) => [String(c.name), queryCaseSchema.parse(c)] as const))('%s', (_name, vector) => {
      const range = vector.range && { from: new Date(vector.range.from), to: new Date(vector.range.to) };
      const run = () => queryToRun(vector.saved, range, vector.now ? new Date(vector.now) : undefined);
      if ('error' in vector.expect) expect(run).toThrow(vector.expect.error);
      else expect(run()).toEqual(vector.expect.cubeQuery);
    });
  });
});
