import { describe, expect, it, vi } from 'vitest';
import badMember from '../src/datasource/__fixtures__/load-bad-member.json';
import badToken from '../src/datasource/__fixtures__/meta-bad-token.json';
import { callCube, CubeError, type CubeHttpResponse } from './cubeApi';

/** A captured answer ({status, body}) as the transport returns it. */
const captured = (fixture: { status: number; body: unknown }): CubeHttpResponse => ({ status: fixture.status, data: fixture.body });

const replies = (...responses: CubeHttpResponse[]) => {
  const send = vi.fn();
  responses.forEach((r) => send.mockResolvedValueOnce(r));
  return send;
};

describe('callCube', () => {
  it('asks again while Cube answers "Continue wait", then returns the result', async () => {
    const wait = { status: 200, data: { error: 'Continue wait' } };
    const send = replies(wait, wait, { status: 200, data: { data: [{ 'v.n': 1 }] } });
    const sleep = vi.fn(async () => {});
    await expect(callCube(send, 'load', { measures: ['v.n'] }, { sleep, intervalMs: 10 })).resolves.toEqual({ data: [{ 'v.n': 1 }] });
    expect(send).toHaveBeenCalledTimes(3);
    expect(sleep).toHaveBeenCalledTimes(2);
  });

  it('gives up after the timeout with a message that says so', async () => {
    let clock = 0;
    const send = vi.fn(async () => ({ status: 200, data: { error: 'Continue wait' } }));
    const sleep = async (ms: number) => {
      clock += ms;
    };
    await expect(callCube(send, 'load', {}, { sleep, now: () => clock, intervalMs: 1000, timeoutMs: 3000 })).rejects.toThrow(
      /still working on this query after 3 s/,
    );
  });

  it('surfaces Cube’s own error text', async () => {
    const error = await callCube(replies(captured(badMember)), 'load', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CubeError);
    expect((error as CubeError).message).toBe('Invalid query: measures[0]: member "web_engagement.nope" not found in "web_engagement".');
    expect((error as CubeError).status).toBe(400);
  });

  it('says when the token is rejected or Cube cannot be reached', async () => {
    await expect(callCube(replies(captured(badToken)), 'meta')).rejects.toThrow(
      'Cube rejected the token (HTTP 401): Invalid token: jwt malformed.',
    );
    await expect(callCube(replies({ status: 502, data: { message: 'Bad Gateway' } }), 'meta')).rejects.toThrow(
      /Cannot reach Cube \(HTTP 502/,
    );
  });
});
