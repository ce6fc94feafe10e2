import type { RequestHandler } from 'express';
import type { Pool } from 'pg';
import { unauthorized } from '../errors';
import type { TokenService } from './token-service';

/**
 * Establishes res.locals.principal from a Bearer access token. No token: anonymous (routes decide). A token
 * that is present but invalid, expired or revoked: 401 at once, whatever the route.
 */
export function authenticate(tokens: TokenService, pg: Pool): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    // Basic is client authentication at the OAuth endpoints (client_secret_basic), not a user credential here.
    if (!header || /^Basic /i.test(header)) return next();
    const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (!m) return next(unauthorized('Malformed Authorization header'));
    try {
      const principal = await tokens.verify(m[1]!, 'access');
      // One round trip: a logged-out token and a since-disabled account both stop working at once.
      const { rows } = await pg.query<{ revoked: boolean; active: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM revoked_access_tokens WHERE jti = $1) AS revoked,
                EXISTS (SELECT 1 FROM users WHERE id = $2::uuid AND NOT disabled) AS active`,
        [principal.tokenId, principal.userId],
      );
      if (rows[0]?.revoked) throw unauthorized('Token revoked', { reason: 'revoked' });
      if (!rows[0]?.active) throw unauthorized('Account disabled', { reason: 'disabled' });
      res.locals.principal = principal;
      next();
    } catch (err) {
      next(err);
    }
  };
}
