import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { createCheckSqlAuth } from '../../src/cube/auth.js';
import { createTenantDirectory } from '../../src/cube/tenants.js';
import { mintToken } from '../../src/cube/tokens.js';
import { ACME, API_SECRET, call, load, startFixtureCube, tokenFor, useTwoTenantCube } from './support.js';

const fixture = useTwoTenantCube();

const query = { measures: ['customers.count'] };
/** Signs exactly these claims (jsonwebtoken adds `iat` unless given). */
const signed = (payload: object, secret = API_SECRET) => jwt.sign(payload, secret, { algorithm: 'HS256' });
const expiring = (payload: object) => signed({ ...payload, exp: Math.floor(Date.now() / 1000) + 3600 });

describe('authentication', () => {
  it('accepts the token alone and with the Bearer scheme', async () => {
    for (const authorization of [tokenFor(ACME), `Bearer ${tokenFor(ACME)}`]) {
      const { status, body } = await load(fixture.cube, authorization, query);
      expect(status).toBe(200);
      expect(Number(body.data![0]!['customers.count'])).toBe(3);
    }
  });

  it('accepts the Bearer scheme in any case, and refuses any other scheme saying what to send', async () => {
    expect((await load(fixture.cube, `bearer ${tokenFor(ACME)}`, query)).status).toBe(200);
    for (const authorization of [`Basic ${tokenFor(ACME)}`, `Token ${tokenFor(ACME)}`, `Bearer ${tokenFor(ACME)} extra`]) {
      const { status, body } = await load(fixture.cube, authorization, query);
      expect(status, authorization.slice(0, 12)).toBe(401);
      expect(body.error).toMatch(
        /^The Authorization scheme "\w+" is not accepted: send `Authorization: Bearer <token>` or `Authorization: <token>`\.$/,
      );
    }
  });

  it('refuses a token for a tenant that does not exist, naming it, case and spaces included', async () => {
    for (const tenant of ['nosuch', ' ', 'ACME', 'acme ', ' acme']) {
      const { status, body } = await load(fixture.cube, tokenFor(tenant), query);
      expect(status, JSON.stringify(tenant)).toBe(403);
      expect(body.error).toBe(`Token refused: there is no tenant ${JSON.stringify(tenant)} in this warehouse.`);
    }
  });

  it('finds a tenant created after the server started', async () => {
    expect((await load(fixture.cube, tokenFor('initech'), query)).status).toBe(403);
    await fixture.database.db('tenants').insert({ id: 'initech', name: 'Initech', business_model: 'b2b' });
    // A miss re-reads the tenants table at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const { status, body } = await load(fixture.cube, tokenFor('initech'), query);
    expect(status).toBe(200);
    expect(Number(body.data![0]!['customers.count'])).toBe(0);
  });

  it('refuses a token that never expires or lives longer than TOKEN_MAX_LIFETIME (365d by default)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const day = 86_400;
    const cases: [object, RegExp][] = [
      [{ tenant: ACME }, /^Token refused: it never expires \(no `exp` claim\), and tokens must expire within 365d \(TOKEN_MAX_LIFETIME\)/],
      [{ admin: true }, /it never expires/],
      [{ tenant: ACME, iat: now, exp: now + 366 * day }, /^Token refused: it is valid for 366 days, and tokens must expire within 365d/],
      [{ tenant: ACME, iat: now - 300 * day, exp: now + 100 * day }, /it is valid for 400 days/],
      [{ tenant: ACME, exp: now + 3650 * day }, /it is valid for 3650 days/],
    ];
    for (const [claims, message] of cases) {
      const { status, body } = await load(fixture.cube, signed(claims), query);
      expect(status, JSON.stringify(claims)).toBe(401);
      expect(body.error).toMatch(message);
    }
    expect((await load(fixture.cube, signed({ tenant: ACME, iat: now, exp: now + 365 * day }), query)).status).toBe(200);
  });

  it('follows a shorter TOKEN_MAX_LIFETIME', async () => {
    const { cube: strict } = await startFixtureCube(fixture.database.url, 0, { maxTokenLifetime: { span: '1h', seconds: 3600 } });
    try {
      const { status, body } = await load(strict, mintToken(API_SECRET, { tenant: ACME }, { expiresIn: '2h' }), query);
      expect(status).toBe(401);
      expect(body.error).toBe(
        'Token refused: it is valid for 2 hours, and tokens must expire within 1h (TOKEN_MAX_LIFETIME); mint one with `npm run token`.',
      );
      expect((await load(strict, mintToken(API_SECRET, { tenant: ACME }, { expiresIn: '1h' }), query)).status).toBe(200);
    } finally {
      await strict.stop();
    }
  });

  it('refuses a request without a token and says how to send one', async () => {
    const { status, body } = await call(fixture.cube, `/load?query=${encodeURIComponent(JSON.stringify(query))}`);
    expect(status).toBe(401);
    expect(body.error).toMatch(/No token.*Authorization: Bearer <token>/);
    expect((await call(fixture.cube, '/meta')).status).toBe(401);
  });

  it('refuses an expired token and says it expired', async () => {
    const expired = signed({ tenant: ACME, exp: Math.floor(Date.now() / 1000) - 60 });
    const { status, body } = await load(fixture.cube, expired, query);
    expect(status).toBe(401);
    expect(body.error).toMatch(/^Token expired at \d{4}-\d\d-\d\dT/);
  });

  it('refuses a token signed with another secret', async () => {
    const { status, body } = await load(fixture.cube, mintToken('some-other-secret-entirely', { tenant: ACME }), query);
    expect(status).toBe(401);
    expect(body.error).toMatch(/not signed with this server's API secret/);
  });

  it('refuses a token that is not a JWT, or not HS256', async () => {
    const garbage = await load(fixture.cube, 'not-a-jwt', query);
    expect(garbage.status).toBe(401);
    expect(garbage.body.error).toMatch(/^Invalid token: jwt malformed/);
    const unsigned = jwt.sign({ tenant: ACME }, '', { algorithm: 'none' });
    const none = await load(fixture.cube, unsigned, query);
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
      const { status, body } = await load(fixture.cube, expiring(claims), query);
      expect(status, JSON.stringify(claims)).toBe(403);
      expect(body.error).toMatch(/^Token refused: /);
      expect(body.error).toMatch(message);
    }
  });

  it('keeps stack traces out of error bodies', async () => {
    const { body } = await load(fixture.cube, 'not-a-jwt', query);
    expect(Object.keys(body)).toEqual(['error']);
  });
});

describe('mintToken', () => {
  it('signs HS256 tokens that expire when asked, and in 12 hours otherwise', () => {
    const token = mintToken(API_SECRET, { tenant: ACME }, { expiresIn: '1h' });
    const decoded = jwt.verify(token, API_SECRET, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(decoded).toMatchObject({ tenant: ACME });
    expect(decoded.exp! - decoded.iat!).toBe(3600);
    const admin = jwt.decode(mintToken(API_SECRET, { admin: true })) as jwt.JwtPayload;
    expect(admin.exp! - admin.iat!).toBe(12 * 3600);
  });

  it('refuses to mint a token the server would refuse', () => {
    expect(() => mintToken(API_SECRET, {})).toThrow(/names no tenant/);
    expect(() => mintToken(API_SECRET, { tenant: '' })).toThrow(/must not be empty/);
  });
});

describe('SQL API authentication (where the native module loads)', () => {
  const checkSqlAuth = createCheckSqlAuth(API_SECRET, {
    tenants: createTenantDirectory({ read: async () => [ACME] }),
    maxLifetime: { span: '365d', seconds: 365 * 86_400 },
  });

  it('takes the API token as the password and returns its claims as the security context', async () => {
    const token = mintToken(API_SECRET, { tenant: ACME });
    expect(await checkSqlAuth({}, 'analyst', token)).toEqual({ password: token, securityContext: { tenant: ACME } });
  });

  it('refuses a missing, forged or tenant-less token', async () => {
    await expect(checkSqlAuth({}, 'analyst', null)).rejects.toThrow('give your API token as the password');
    await expect(checkSqlAuth({}, 'analyst', mintToken('another-secret-entirely', { tenant: ACME }))).rejects.toThrow(
      'not signed with this server',
    );
    await expect(checkSqlAuth({}, 'analyst', expiring({ user: 'x' }))).rejects.toThrow('names no tenant');
  });

  it('refuses a tenant that does not exist and a token that never expires', async () => {
    await expect(checkSqlAuth({}, 'analyst', mintToken(API_SECRET, { tenant: 'ACME' }))).rejects.toThrow('there is no tenant "ACME"');
    await expect(checkSqlAuth({}, 'analyst', signed({ tenant: ACME }))).rejects.toThrow('it never expires');
  });
});
