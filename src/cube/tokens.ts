import jwt from 'jsonwebtoken';
import { tokenClaimsSchema, type TokenClaims } from './auth.js';

/**
 * Signs an HS256 token that this Cube server accepts: `tenant` scopes every query to one
 * tenant, `admin: true` sees all tenants. Refuses claims the server would refuse.
 */
export function mintToken(
  secret: string,
  claims: TokenClaims,
  options: { expiresIn?: string | number } = {},
): string {
  const payload = tokenClaimsSchema.parse(claims);
  return jwt.sign(payload, secret, {
    algorithm: 'HS256',
    // jsonwebtoken checks the timespan string itself ("30d", "12h", seconds as a number).
    ...(options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn as jwt.SignOptions['expiresIn'] }),
  });
}
