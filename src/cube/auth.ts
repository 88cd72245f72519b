import { CubejsHandlerError } from '@cubejs-backend/api-gateway';
import jwt from 'jsonwebtoken';
import { z } from 'zod';

/** Claims a Cube token carries; the verified claims become the request's security context. */
export const tokenClaimsSchema = z
  .object({
    tenant: z
      .string({ error: 'the `tenant` claim must be a string' })
      .min(1, 'the `tenant` claim must not be empty')
      .optional(),
    admin: z.boolean({ error: 'the `admin` claim must be true or false' }).optional(),
  })
  .refine((claims) => claims.admin === true || claims.tenant !== undefined, {
    message: 'the token names no tenant: it needs a `tenant` claim unless it has `admin: true`',
  });

export type TokenClaims = z.infer<typeof tokenClaimsSchema>;
export type SecurityContext = TokenClaims;

const HOW_TO_SEND = 'send `Authorization: <token>` or `Authorization: Bearer <token>`';

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

function verify(token: string, apiSecret: string): unknown {
  try {
    return jwt.verify(token, apiSecret, { algorithms: ['HS256'] });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) {
      throw new CubejsHandlerError(401, 'Unauthorized', `Token expired at ${error.expiredAt.toISOString()}; ask for a new one.`);
    }
    if (error instanceof jwt.NotBeforeError) {
      throw new CubejsHandlerError(401, 'Unauthorized', `Token not valid before ${error.date.toISOString()}.`);
    }
    if (error instanceof jwt.JsonWebTokenError && error.message === 'invalid signature') {
      throw new CubejsHandlerError(401, 'Unauthorized', 'Invalid token: it was not signed with this server\'s API secret.');
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new CubejsHandlerError(401, 'Unauthorized', `Invalid token: ${reason}.`);
  }
}

/**
 * Cube's `checkAuth`: the gateway hands it the header value with any scheme word ("Bearer")
 * already cut off. Throwing CubejsHandlerError is how the gateway turns a refusal into a 4xx
 * with `{ error }`; any other error would come back as a 500.
 */
export function createCheckAuth(apiSecret: string) {
  return async (req: { securityContext?: unknown }, authorization?: string): Promise<void> => {
    if (!authorization) {
      throw new CubejsHandlerError(401, 'Unauthorized', `No token: ${HOW_TO_SEND}.`);
    }
    req.securityContext = verifiedClaims(authorization, apiSecret);
  };
}

function verifiedClaims(token: string, apiSecret: string): SecurityContext {
  const claims = tokenClaimsSchema.safeParse(verify(token, apiSecret));
  if (!claims.success) {
    throw new CubejsHandlerError(403, 'Forbidden', `Token refused: ${describeIssues(claims.error)}.`);
  }
  return claims.data;
}

/**
 * Cube's `checkSqlAuth` for its SQL API (only where the native module loads, e.g. the
 * cubejs/cube image): any user name, and the same token as the REST API for the password.
 */
export function createCheckSqlAuth(apiSecret: string) {
  return async (_req: unknown, _user: string | null, password: string | null) => {
    if (!password) throw new CubejsHandlerError(401, 'Unauthorized', 'No token: give your API token as the password.');
    return { password, securityContext: verifiedClaims(password, apiSecret) };
  };
}

