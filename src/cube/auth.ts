import { createSecretKey, type KeyObject } from 'node:crypto';
import { CubejsHandlerError } from '@cubejs-backend/api-gateway';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { TenantDirectoryUnavailable, type TenantDirectory } from './tenants.js';

/** Claims a Cube token carries; the verified claims become the request's security context. */
export const tokenClaimsSchema = z
  .object({
    tenant: z.string({ error: 'the `tenant` claim must be a string' }).min(1, 'the `tenant` claim must not be empty').optional(),
    admin: z.boolean({ error: 'the `admin` claim must be true or false' }).optional(),
  })
  .refine((claims) => claims.admin === true || claims.tenant !== undefined, {
    message: 'the token names no tenant: it needs a `tenant` claim unless it has `admin: true`',
  });

export type TokenClaims = z.infer<typeof tokenClaimsSchema>;
export type SecurityContext = TokenClaims;

const HOW_TO_SEND = 'send `Authorization: Bearer <token>` or `Authorization: <token>`';

/** What a token must satisfy beyond its signature. */
export interface TokenPolicy {
  /** The tenants that exist; a tenant token for any other is refused. */
  tenants: TenantDirectory;
  /** Longest lifetime accepted (TOKEN_MAX_LIFETIME): `span` as written, e.g. 365d, and in seconds. */
  maxLifetime: { span: string; seconds: number };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join('; ');
}

/** Parses a request's security context; `null` means it is not one this server issued. */
export function parseSecurityContext(value: unknown): SecurityContext | null {
  const parsed = tokenClaimsSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The tenant a context is limited to, or `null` for an admin, who sees every tenant. */
export function tenantOf(context: SecurityContext): string | null {
  return context.admin === true ? null : (context.tenant ?? null);
}

const unauthorized = (message: string) => new CubejsHandlerError(401, 'Unauthorized', message);
const forbidden = (message: string) => new CubejsHandlerError(403, 'Forbidden', message);

/**
 * The token of an Authorization header: `Bearer <token>` or the token alone. Cube's gateway
 * (ApiGateway#extractAuthorizationHeaderWithSchema) keeps the second word of any header, so
 * `Basic <jwt>` would pass; the raw header is checked here instead.
 */
export function tokenFromHeader(header: string | undefined): string {
  const value = header?.trim() ?? '';
  if (value === '') throw unauthorized(`No token: ${HOW_TO_SEND}.`);
  if (/^\S+$/.test(value)) return value;
  const bearer = /^Bearer +(\S+)$/i.exec(value);
  if (bearer) return bearer[1]!;
  const scheme = value.split(/\s/, 1)[0]!.slice(0, 20);
  throw unauthorized(`The Authorization scheme ${JSON.stringify(scheme)} is not accepted: ${HOW_TO_SEND}.`);
}

const secretKeys = new Map<string, KeyObject>();

/**
 * The API secret as a key object, made once per secret. Given the string, jsonwebtoken first
 * tries it as a public key and catches the failure on every request, which cost a tenth of a
 * cached answer's CPU in the load test.
 */
function secretKey(apiSecret: string): KeyObject {
  let key = secretKeys.get(apiSecret);
  if (!key) {
    key = createSecretKey(Buffer.from(apiSecret));
    secretKeys.set(apiSecret, key);
  }
  return key;
}

function verify(token: string, apiSecret: string): unknown {
  try {
    return jwt.verify(token, secretKey(apiSecret), { algorithms: ['HS256'] });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) {
      throw unauthorized(`Token expired at ${error.expiredAt.toISOString()}; ask for a new one.`);
    }
    if (error instanceof jwt.NotBeforeError) {
      throw unauthorized(`Token not valid before ${error.date.toISOString()}.`);
    }
    if (error instanceof jwt.JsonWebTokenError && error.message === 'invalid signature') {
      throw unauthorized("Invalid token: it was not signed with this server's API secret.");
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw unauthorized(`Invalid token: ${reason}.`);
  }
}

const timeClaims = z.object({ exp: z.number().optional(), iat: z.number().optional() });

/** Refuses a token that never expires or lives longer than the policy allows. */
function assertLifetime(payload: unknown, { span, seconds }: TokenPolicy['maxLifetime']): void {
  const { exp, iat } = timeClaims.catch({}).parse(payload);
  const limit = `tokens must expire within ${span} (TOKEN_MAX_LIFETIME); mint one with \`npm run token\``;
  if (exp === undefined) throw unauthorized(`Token refused: it never expires (no \`exp\` claim), and ${limit}.`);
  const now = Date.now() / 1000;
  const lifetime = Math.max(exp - (iat ?? now), exp - now);
  if (lifetime > seconds) {
    const length = lifetime >= 2 * 86_400 ? `${Math.ceil(lifetime / 86_400)} days` : `${Math.ceil(lifetime / 3_600)} hours`;
    throw unauthorized(`Token refused: it is valid for ${length}, and ${limit}.`);
  }
}

async function verifiedClaims(token: string, apiSecret: string, policy: TokenPolicy): Promise<SecurityContext> {
  const payload = verify(token, apiSecret);
  assertLifetime(payload, policy.maxLifetime);
  const claims = tokenClaimsSchema.safeParse(payload);
  if (!claims.success) throw forbidden(`Token refused: ${describeIssues(claims.error)}.`);
  const tenant = tenantOf(claims.data);
  if (tenant !== null && !(await tenantExists(policy.tenants, tenant))) {
    throw forbidden(`Token refused: there is no tenant ${JSON.stringify(tenant)} in this warehouse.`);
  }
  return claims.data;
}

async function tenantExists(tenants: TenantDirectory, tenant: string): Promise<boolean> {
  try {
    return await tenants.has(tenant);
  } catch (error) {
    if (!(error instanceof TenantDirectoryUnavailable)) throw error;
    // Worded like errors.ts's answer to the same outage during a query.
    throw new CubejsHandlerError(503, 'Service Unavailable', `The warehouse is unreachable (${error.reason}). Try again once it is back.`);
  }
}

interface AuthRequest {
  securityContext?: unknown;
  headers?: { authorization?: string | string[] };
}

/**
 * Cube's `checkAuth`. Throwing CubejsHandlerError is how the gateway turns a refusal into a 4xx
 * with `{ error }`; any other error would come back as a 500.
 */
export function createCheckAuth(apiSecret: string, policy: TokenPolicy) {
  return async (req: AuthRequest, authorization?: string): Promise<void> => {
    // The raw header when Cube passes its request (the REST API), else what the caller extracted.
    const header = req.headers ? req.headers.authorization : authorization;
    const token = tokenFromHeader(Array.isArray(header) ? header.join(',') : header);
    req.securityContext = await verifiedClaims(token, apiSecret, policy);
  };
}

/**
 * Cube's `checkSqlAuth` for its SQL API (only where the native module loads, e.g. the
 * cubejs/cube image): any user name, and the same token as the REST API for the password.
 */
export function createCheckSqlAuth(apiSecret: string, policy: TokenPolicy) {
  return async (_req: unknown, _user: string | null, password: string | null) => {
    if (!password) throw unauthorized('No token: give your API token as the password.');
    return { password, securityContext: await verifiedClaims(password, apiSecret, policy) };
  };
}
