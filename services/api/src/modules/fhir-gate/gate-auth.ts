/**
 * Authenticates a /fhir request: a SMART access token only (business-API tokens have another audience and fail).
 * Verified tokens are cached until they expire and revocation (revoked_access_tokens) is re-read at most every
 * 5 seconds per token, so the hot path does no crypto and no database round trip.
 */
import type { Pool } from 'pg';
import { verifySmartAccessToken, type SmartContext } from '../../core/auth/smart-token';
import type { TokenService } from '../../core/auth/token-service';
import { AppError } from '../../core/errors';

const MAX_CACHED = 10_000;

export class GateAuthenticator {
  private readonly verified = new Map<string, SmartContext>();
  private readonly revocation = new Map<string, { revoked: boolean; until: number }>();

  constructor(
    private readonly tokens: TokenService,
    private readonly pg: Pool,
    private readonly publicBaseUrl: string,
    private readonly revocationTtlMs = 5_000,
  ) {}

  private challenge(message: string, error = 'invalid_token'): AppError {
    const realm = `${this.publicBaseUrl}/fhir`;
    return new AppError(
      401,
      'AUTHENTICATION_FAILED',
      message,
      { reason: error },
      { 'WWW-Authenticate': `Bearer realm="${realm}", error="${error}", error_description="${message}"` },
    );
  }

  async authenticate(header: string | undefined): Promise<SmartContext> {
    if (!header) {
      const e = this.challenge('A SMART access token is required', 'invalid_request');
      e.headers['WWW-Authenticate'] = `Bearer realm="${this.publicBaseUrl}/fhir"`;
      throw e;
    }
    const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (!m) throw this.challenge('Malformed Authorization header', 'invalid_request');
    const token = m[1]!;
    const now = Date.now();
    let ctx = this.verified.get(token);
    if (ctx && ctx.expiresAt * 1000 <= now) {
      this.verified.delete(token);
      ctx = undefined;
    }
    if (!ctx) {
      try {
        ctx = await verifySmartAccessToken(this.tokens, this.publicBaseUrl, token);
      } catch (err) {
        const reason = err instanceof AppError ? err.message : 'Invalid token';
        throw this.challenge(reason === 'Token expired' ? 'Token expired' : 'Invalid or non-SMART access token');
      }
      if (this.verified.size >= MAX_CACHED) this.verified.clear();
      this.verified.set(token, ctx);
    }
    if (await this.isRevoked(ctx.tokenId, now)) throw this.challenge('Token revoked');
    return ctx;
  }

  private async isRevoked(jti: string, now: number): Promise<boolean> {
    const hit = this.revocation.get(jti);
    if (hit && hit.until > now) return hit.revoked;
    const { rows } = await this.pg.query<{ revoked: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM revoked_access_tokens WHERE jti = $1) AS revoked',
      [jti],
    );
    const revoked = !!rows[0]?.revoked;
    if (this.revocation.size >= MAX_CACHED) this.revocation.clear();
    this.revocation.set(jti, { revoked, until: now + this.revocationTtlMs });
    return revoked;
  }
}
