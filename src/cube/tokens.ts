import jwt from 'jsonwebtoken';
import { tokenClaimsSchema, type TokenClaims } from './auth.js';

/** Lifetime of a token when none is asked for; every token expires (the server refuses others). */
export const DEFAULT_TOKEN_LIFETIME = '12h';

/**
 * Signs an HS256 token that this Cube server accepts: `tenant` scopes every query to one
 * tenant, `admin: true` sees all tenants. Refuses claims the server would refuse.
 */
export function mintToken(secret: string, claims: TokenClaims, options: { expiresIn?: string | number } = {}): string {
  const payload = tokenClaimsSchema.parse(claims);
  return jwt.sign(payload, secret, {
    algorithm: 'HS256',
    // jsonwebtoken checks the timespan string itself ("30d", "12h", seconds as a number).
    expiresIn: (options.expiresIn ?? DEFAULT_TOKEN_LIFETIME) as jwt.SignOptions['expiresIn'],
  });
}
