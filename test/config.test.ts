import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, warehouseLimits } from '../src/config.js';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills sensible defaults', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({ PG_PORT: 54329, CUBE_PORT: 4000, SEED_CUSTOMERS: 20_000, SEED: 42, CUBE_ANSWER_CACHE_SECONDS: 2 });
    expect(config.dataDir).toBe('/srv/app/.data');
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PG_PORT: '' }).PG_PORT).toBe(54329);
  });

  it('reads numbers and URLs', () => {
    const config = loadConfig({ PG_PORT: '6000', DATABASE_URL: 'postgresql://u:p@db:5432/x', SEED_CUSTOMERS: '1000000' });
    expect(config.PG_PORT).toBe(6000);
    expect(config.DATABASE_URL).toBe('postgresql://u:p@db:5432/x');
    expect(config.SEED_CUSTOMERS).toBe(1_000_000);
  });

  it.each([
    ['PG_PORT', 'abc', 'expected a TCP port number'],
    ['PG_PORT', '70000', 'expected a port from 1 to 65535'],
    ['CUBE_PORT', '4000.5', 'expected a whole number'],
    ['DATABASE_URL', 'mysql://db/x', 'expected a postgres:// or postgresql:// URL'],
    ['SEED_CUSTOMERS', '5', 'expected at least 100 customers'],
    ['CUBE_API_SECRET', 'short', 'expected a secret of at least 16 characters'],
    ['TOKEN_MAX_LIFETIME', 'never', 'expected a whole number and a unit (s, m, h, d, w, y), e.g. 365d'],
    ['TOKEN_MAX_LIFETIME', '90', 'expected a whole number and a unit (s, m, h, d, w, y), e.g. 365d'],
    ['ENGAGEMENT_MODE', 'prod', 'expected development or production'],
    [
      'CORS_ORIGINS',
      'https://grafana.example.com/',
      'expected comma-separated origins such as https://grafana.example.com (scheme, host and port only, no path or trailing slash)',
    ],
    [
      'CORS_ORIGINS',
      '*',
      'expected comma-separated origins such as https://grafana.example.com (scheme, host and port only, no path or trailing slash)',
    ],
    ['CUBE_TENANT_CONCURRENCY', '0', 'expected at least 1 query at a time'],
    ['CUBE_TENANT_CONCURRENCY', 'many', 'expected a number of queries'],
    ['CUBE_STATEMENT_TIMEOUT', '1.5', 'expected a whole number of seconds'],
    ['CUBE_STATEMENT_TIMEOUT', '7200', 'expected at most 3600 seconds'],
    ['CUBE_BUILD_TIMEOUT', '0', 'expected at least 1 second'],
    ['CUBE_BUILD_TIMEOUT', 'soon', 'expected a number of seconds'],
    ['CUBE_ANSWER_CACHE_SECONDS', '-1', 'expected 0 (off) or more seconds'],
    ['CUBE_ANSWER_CACHE_SECONDS', 'soon', 'expected a number of seconds'],
    ['CUBE_ORPHANED_TIMEOUT', '5', "expected more than Cube's 5-second long poll"],
    ['PREDICT_MONTHLY_DISCOUNT_RATE', '1%', 'expected a rate such as 0.01 for 1% a month'],
    ['PREDICT_MONTHLY_DISCOUNT_RATE', '-0.1', 'expected a rate from 0 to 1'],
  ])('names %s when it gets %j', (key, value, expected) => {
    const error = errorOf({ [key]: value });
    expect(error.issues).toEqual([`${key}: got ${JSON.stringify(value)}, ${expected}`]);
    expect(error.message).toContain(`${key}: got ${JSON.stringify(value)}`);
  });

  it('reads the token lifetime, the mode and the CORS origins', () => {
    expect(loadConfig({})).toMatchObject({
      TOKEN_MAX_LIFETIME: { span: '365d', seconds: 365 * 86_400 },
      ENGAGEMENT_MODE: 'development',
      CORS_ORIGINS: [],
    });
    const config = loadConfig({
      TOKEN_MAX_LIFETIME: '12h',
      ENGAGEMENT_MODE: 'production',
      CORS_ORIGINS: 'https://grafana.example.com, http://localhost:3000',
    });
    expect(config.TOKEN_MAX_LIFETIME).toEqual({ span: '12h', seconds: 43_200 });
    expect(config.ENGAGEMENT_MODE).toBe('production');
    expect(config.CORS_ORIGINS).toEqual(['https://grafana.example.com', 'http://localhost:3000']);
  });

  it('gives the warehouse limits with their defaults', () => {
    expect(warehouseLimits(loadConfig({}))).toEqual({
      tenantConcurrency: 2,
      statementTimeoutSeconds: 60,
      buildTimeoutSeconds: 1800,
      orphanedTimeoutSeconds: 10,
    });
    expect(
      warehouseLimits(
        loadConfig({ CUBE_TENANT_CONCURRENCY: '4', CUBE_STATEMENT_TIMEOUT: '30', CUBE_BUILD_TIMEOUT: '600', CUBE_ORPHANED_TIMEOUT: '20' }),
      ),
    ).toEqual({
      tenantConcurrency: 4,
      statementTimeoutSeconds: 30,
      buildTimeoutSeconds: 600,
      orphanedTimeoutSeconds: 20,
    });
  });

  it('reports every bad variable at once', () => {
    expect(errorOf({ PG_PORT: 'x', CUBE_PORT: '0' }).issues).toHaveLength(2);
  });
});
