import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CubeClient, CubeRequestError } from '../../src/cube/client.js';

// A real Cube holds each request for its continueWaitTimeout (5 s) before it says "Continue wait",
// so a stand-in that answers at once is what makes the client's own pause observable.
let answers: unknown[] = [];
const requestTimes: number[] = [];
const server = http.createServer((_request, response) => {
  requestTimes.push(Date.now());
  response.setHeader('Content-Type', 'application/json');
  response.end(JSON.stringify(answers.shift() ?? { error: 'no answer planned' }));
});
let client: CubeClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new CubeClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/cubejs-api/v1`, 'token', { pollIntervalMs: 150 });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('CubeClient', () => {
  it('pauses between "Continue wait" answers, then returns the rows', async () => {
    answers = [{ error: 'Continue wait' }, { error: 'Continue wait' }, { data: [{ 'a.count': 3 }] }];
    requestTimes.length = 0;
    expect(await client.load({ measures: ['a.count'] })).toEqual([{ 'a.count': 3 }]);
    expect(requestTimes).toHaveLength(3);
    const gaps = requestTimes.slice(1).map((t, i) => t - requestTimes[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(140);
  });

  it('rejects an answer in another shape, naming the field', async () => {
    answers = [{ data: 'not rows' }];
    await expect(client.load({ measures: ['a.count'] })).rejects.toThrow(
      new CubeRequestError(502, 'Unexpected answer from Cube to /load: data: Invalid input: expected array, received string'),
    );
    answers = [{ cubes: [{ title: 'no name' }] }];
    await expect(client.meta()).rejects.toThrow(/^Unexpected answer from Cube to \/meta: cubes\.0\.name: /);
  });

  it('passes on Cube’s own error text', async () => {
    answers = [{ error: "'nope' not found for path 'a.nope'" }];
    await expect(client.load({ measures: ['a.nope'] })).rejects.toThrow("Cube 200: 'nope' not found for path 'a.nope'");
  });
});
