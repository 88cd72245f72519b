/**
 * Values a fuzzed query puts where a member, a filter value, a date or a timezone goes: plausible
 * ones, so that many queries return rows, and hostile ones. None is destructive: a payload that
 * escapes into SQL only reads (other tenants' rows, the server's settings), so a found injection
 * shows up as foreign data in an answer instead of damaging the warehouse under test.
 */
export const plausibleStrings = [
  'pro',
  'free',
  'starter',
  'enterprise',
  'smb',
  'mid_market',
  'US',
  'DE',
  'GB',
  'email',
  'organic',
  'paid_search',
  'referral',
  'social',
  'direct',
  'mobile',
  'desktop',
  'tablet',
  'nps',
  'csat',
  'ces',
  'chat',
  'phone',
  'instagram',
  '/',
];

export const hostileStrings = [
  "' OR '1'='1",
  "') OR tenant_id <> ('",
  "'; SELECT * FROM customers; --",
  "' UNION SELECT tenant_id FROM customers --",
  '" OR ""="',
  '\\',
  "\\'",
  '$1',
  '%',
  '_',
  '%%',
  '*/ OR 1=1 /*',
  '{CUBE}.tenant_id',
  '${SECURITY_CONTEXT.tenant}',
  '{{ tenant }}',
  'null',
  '',
  ' ',
  '\t\r\n',
  'ü',
  'İstanbul',
  'ß',
  'e\u0301',
  '\u202eevil',
  'zero\u200bwidth',
  '\ufeffbom',
  '😀',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'ＡＣＭＥ',
  '\ud800',
  '\udfff',
  'x'.repeat(4000),
];

export const hostileNumbers: unknown[] = [
  0,
  -1,
  1,
  2.5,
  -0,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER + 2,
  '99999999999999999999999',
  '1e309',
  'NaN',
  'Infinity',
  '-0',
  '0x10',
  '1; DROP TABLE customers',
  'abc',
  true,
  null,
];

export const hostileBooleans: unknown[] = [true, false, 'true', 'false', '1', '0', 'yes', 'maybe', 1, null];

export const plausibleDates = [
  '2025-11-01',
  '2025-12-31',
  '2026-01-01',
  '2026-03-15',
  '2026-06-30',
  '2026-09-01',
  '2026-10-31',
  '2026-03-01T10:00:00',
];

export const hostileDates: unknown[] = [
  '2026-02-30',
  '2026-13-45',
  '0001-01-01',
  '9999-12-31',
  '1900-01-01',
  'yesterday',
  'last week',
  '2026-01-01T25:61:00',
  "2026-01-01'; --",
  '2026-01-01T00:00:00+99:00',
  '',
  12,
  null,
  '10000-01-01',
];

export const relativeRanges = [
  'today',
  'yesterday',
  'this week',
  'this month',
  'this quarter',
  'this year',
  'last 7 days',
  'last 30 days',
  'last week',
  'last month',
  'last quarter',
  'last year',
  'last 12 months',
  'from 6 months ago to now',
  'from 2 years ago to now',
];

/** Ranges that only make sense (and stay cheap) without a fine granularity. */
export const hostileRanges: unknown[] = [
  'last 1000000 years',
  'from 1000 years ago to 1000 years from now',
  'next century',
  'gibberish',
  "today'; --",
  '',
  ['2026-13-45', '2026-01-01'],
  ['2026-06-30', '2026-01-01'],
  ['2026-01-01', '2026-01-02', '2026-01-03'],
  [],
  [null],
  [1, 2],
];

export const validTimezones = ['UTC', 'America/New_York', 'Asia/Kathmandu', 'Pacific/Chatham', 'Etc/GMT+12'];

export const invalidTimezones = ['Mars/Olympus', 'utc ', '+05:00', '', 'UTC;', "UTC'"];

/** Payloads for the unchecked `AT TIME ZONE '…'` of Cube 0.35.81 (issue 9, item 1): each only reads. */
export const timezoneInjections = [
  "UTC' || (SELECT string_agg(DISTINCT tenant_id, ',') FROM customers) || '",
  "UTC')) AS \"x\", (SELECT string_agg(tenant_id || '=' || n, ',') FROM (SELECT tenant_id, count(*) n FROM customers GROUP BY 1) t) AS \"y\" --",
  "UTC') || current_setting('server_version') || ('",
];

/** The reproduction of issue 9, item 1, verbatim: with acme's token it returned every tenant's counts. */
export const issueInjectionQuery = {
  measures: ['customers.signups'],
  timeDimensions: [{ dimension: 'customers.signup_at', granularity: 'year' }],
  timezone:
    "UTC')) \"customers__signup_at_year\", (SELECT string_agg(tenant_id || '=' || n, ',') FROM (SELECT tenant_id, count(*) n FROM customers GROUP BY 1) t) \"customers__signups\" --",
};

/** Token tenants that do not exist: near misses of real ids and odd strings. */
export function unknownTenants(tenants: readonly string[]): string[] {
  const first = tenants[0] ?? 'acme';
  return [
    'nosuch',
    first.toUpperCase(),
    ` ${first}`,
    `${first} `,
    `${first}'--`,
    "' OR 1=1 --",
    '%',
    '*',
    tenants.join(','),
    'ａｃｍｅ',
    ' ',
  ];
}

export const bogusMembers = [
  'customers.nosuch',
  'customers',
  'customers.tenant_id.year',
  "customers.plan'--",
  'nosuch.count',
  '',
  '.',
  'customers..plan',
];
