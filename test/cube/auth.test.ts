import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCube } from '../../src/cube/server.js';
import { createCheckSqlAuth } from '../../src/cube/auth.js';
import { mintToken } from '../../src/cube/tokens.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ACME, API_SECRET, call, load, seedTwoTenants, startFixtureCube, tokenFor } from './support.js';

let database: TestDatabase;
let cube: RunningCube;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedTwoTenants(database.db);
  ({ cube } = await startFixtureCube(database.url));
});

afterAll(async () => {
  await cube?.stop();
  await database?.drop();
});

const query = { measures: ['customers.count'] };
const signed = (payload: object, secret = API_SECRET) => jwt.sign(payload, secret, { algorithm: 'HS256' });

describe('authentication', () => {
  it('accepts the token alone and with the Bearer scheme', async () => {
    for (const authorization of [tokenFor(ACME), `Bearer ${tokenFor(ACME)}`]) {
      const { status, body } = await load(cube, authorization, query);
      expect(status).toBe(200);
      expect(Number(body.data![0]!['customers.count'])).toBe(3);
    }
  });

  it('refuses a request without a token and says how to send one', async () => {
    const { status, body } = await call(cube, `/load?query=${encodeURIComponent(JSON.stringify(query))}`);
    expect(status).toBe(401);
    expect(body.error).toMatch(/No token.*Authorization: Bearer <token>/);
    expect((await call(cube, '/meta')).status).toBe(401);
  });

  it('refuses an expired token and says it expired', async () => {
    const expired = signed({ tenant: ACME, exp: Math.floor(Date.now() / 1000) - 60 });
    const { status, body } = await load(cube, expired, query);
    expect(status).toBe(401);
    expect(body.error).toMatch(/^Token expired at \d{4}-\d\d-\d\dT/);
  });

  it('refuses a token signed with another secret', async () => {
    const { status, body } = await load(cube, mintToken('some-other-secret-entirely', { tenant: ACME }), query);
    expect(status).toBe(401);
    expect(body.error).toMatch(/not signed with this server's API secret/);
  });

  it('refuses a token that is not a JWT, or not HS256', async () => {
    const garbage = await load(cube, 'not-a-jwt', query);
    expect(garbage.status).toBe(401);
    expect(garbage.body.error).toMatch(/^Invalid token: jwt malformed/);
    const unsigned = jwt.sign({ tenant: ACME }, '', { algorithm: 'none' });
    const none = await load(cube, unsigned, query);
    expect(none.status).toBe(401);
    expect(none.body.error).toMatch(/^Invalid token/);
  });

  it('refuses a token that names no tenant, an empty tenant or a tenant that is not a string', async () => {
    const cases: [object, RegExp][] = [
      [{}, /names no tenant.*`admin: true`/],
      [{ admin: false }, /names no tenant/],
      [{ tenant: '' }, /`tenant` claim must not be empty/],
      [{ tenant: 42 }, /`tenant` claim must be a string/],
    ];
    for (const [claims, message] of cases) {
      const { status, body } = await load(cube, signed(claims), query);
      expect(status, JSON.stringify(claims)).toBe(403);
      expect(body.error).toMatch(/^Token refused: /);
      expect(body.error).toMatch(message);
    }
  });

  it('keeps stack traces out of error bodies', async () => {
    const { body } = await load(cube, 'not-a-jwt', query);
    expect(Object.keys(body)).toEqual(['error']);
  });
});

describe('mintToken', () => {
  it('signs HS256 tokens that expire when asked', () => {
    const token = mintToken(API_SECRET, { tenant: ACME }, { expiresIn: '1h' });
    const decoded = jwt.verify(token, API_SECRET, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(decoded).toMatchObject({ tenant: ACME });
    expect(decoded.exp! - decoded.iat!).toBe(3600);
    expect(jwt.decode(mintToken(API_SECRET, { admin: true }))).not.toHaveProperty('exp');
  });

  it('refuses to mint a token the server would refuse', () => {
    expect(() => mintToken(API_SECRET, {})).toThrow(/names no tenant/);
    expect(() => mintToken(API_SECRET, { tenant: '' })).toThrow(/must not be empty/);
  });
});

describe('SQL API authentication (where the native module loads)', () => {
  const checkSqlAuth = createCheckSqlAuth(API_SECRET);

  it('takes the API token as the password and returns its claims as the security context', async () => {
    const token = mintToken(API_SECRET, { tenant: ACME });
    expect(await checkSqlAuth({}, 'analyst', token)).toEqual({ password: token, securityContext: { tenant: ACME } });
  });

  it('refuses a missing, forged or tenant-less token', async () => {
    await expect(checkSqlAuth({}, 'analyst', null)).rejects.toThrow('give your API token as the password');
    await expect(checkSqlAuth({}, 'analyst', mintToken('another-secret-entirely', { tenant: ACME }))).rejects.toThrow('not signed with this server');
    await expect(checkSqlAuth({}, 'analyst', signed({ user: 'x' }))).rejects.toThrow('names no tenant');
  });
});
