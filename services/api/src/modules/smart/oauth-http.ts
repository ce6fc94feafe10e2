import express, { type Request, type RequestHandler, type Response } from 'express';
import type { AuditOutcome } from '../../core/audit/audit-types';
import { requestAuditFields } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { OAuthError, oauthErrorHeaders, oauthStatus } from './oauth-errors';
import { usedBasic } from './client-auth';

/** The OAuth endpoints take application/x-www-form-urlencoded (app.ts only parses JSON). */
export const formBody = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });

/**
 * CORS for discovery, token, introspection and revocation: any origin (SMART apps are served from anywhere),
 * never with credentials — these endpoints use no cookies. Answers preflights the global CORS policy leaves alone.
 */
export const openCors: RequestHandler = (req, res, next) => {
  res.removeHeader('Access-Control-Allow-Credentials');
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate, X-Request-ID');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
    return;
  }
  next();
};

export const noStore = (res: Response) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
};

export function auditSmart(
  deps: Pick<AppDeps, 'audit'>,
  req: Request,
  res: Response,
  action: string,
  outcome: AuditOutcome,
  e: { clientId?: string; userId?: string; patientId?: string; details?: Record<string, unknown> },
) {
  deps.audit.record({
    ...requestAuditFields(req, res),
    action,
    outcome,
    ...(e.clientId ? { clientId: e.clientId.slice(0, 128) } : {}),
    ...(e.userId ? { userId: e.userId } : {}),
    ...(e.patientId ? { patientId: e.patientId } : {}),
    ...(e.details ? { details: e.details } : {}),
  });
}

/** Answers an OAuth error as RFC 6749 §5.2 JSON; anything unexpected becomes server_error (logged, no internals). */
export function sendOAuthError(deps: Pick<AppDeps, 'logger'>, req: Request, res: Response, err: unknown): OAuthError {
  let e: OAuthError;
  if (err instanceof OAuthError) e = err;
  else {
    deps.logger.error({ err, path: req.path }, 'oauth endpoint failed');
    e = new OAuthError('server_error', 'the authorization server failed; try again');
  }
  for (const [k, v] of Object.entries(oauthErrorHeaders(e, usedBasic(req)))) res.setHeader(k, v);
  res.status(oauthStatus(e)).json({ error: e.error, error_description: e.description });
  return e;
}

export const isForm = (req: Request) =>
  req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
