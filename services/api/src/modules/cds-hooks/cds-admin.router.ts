/** Business API of the CDS module: the per-rule feedback report and the web app's CDS client token. */
import { Router } from 'express';
import { CdsClientToken, CdsClientTokenBody, CdsReport, CdsReportQuery } from '@wintehr/contracts';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { badRequest } from '../../core/errors';
import { mount } from '../../core/http/route';
import { cardStore } from './card-store';
import { WEB_CLIENT_PURPOSE, WEB_CLIENT_SUB, cdsBaseUrl, feedbackUrl, serviceUrl } from './cds-clients';

/** Lifetime of the web app's CDS client token (the spec asks for short-lived tokens; at most 5 minutes). */
export const CLIENT_TOKEN_TTL_SECONDS = 300;

export function cdsAdminRouter(deps: AppDeps): Router {
  const router = Router();

  mount(
    router,
    {
      method: 'get',
      path: '/api/cds/report',
      tags: ['cds'],
      auth: 'audit:view',
      summary: 'Per CDS rule: cards fired, accepted, overridden and the top override reasons',
      query: CdsReportQuery,
      response: CdsReport,
    },
    async ({ req, res, query }): Promise<CdsReport> => {
      const until = query.until ? new Date(query.until) : new Date();
      const since = query.since ? new Date(query.since) : new Date(until.getTime() - 30 * 86_400_000);
      if (since >= until)
        throw badRequest('since must be before until', [{ field: 'query.since', message: 'must be before until' }]);
      const rules = await cardStore.report(deps.pg, since, until);
      auditRequest(deps.audit, req, res, {
        action: 'cds.report',
        outcome: 'success',
        details: { rules: rules.length },
      });
      return { since: since.toISOString(), until: until.toISOString(), rules };
    },
  );

  mount(
    router,
    {
      method: 'post',
      path: '/api/cds/client-token',
      tags: ['cds'],
      auth: 'authenticated',
      summary: 'A short-lived JWT with which the web app calls /cds-services as a CDS client',
      body: CdsClientTokenBody,
      response: CdsClientToken,
    },
    async ({ principal, body }): Promise<CdsClientToken> => {
      // One token serves either the call or its feedback (aud holds both endpoint URLs; its jti is single use): the
      // web app fetches a token per request and does not say which of the two it is for.
      const base = deps.config.publicBaseUrl;
      const audience = body?.serviceId
        ? [serviceUrl(base, body.serviceId), feedbackUrl(base, body.serviceId)]
        : cdsBaseUrl(base);
      const { token, exp } = await deps.tokens.signRaw(
        { sub: WEB_CLIENT_SUB, purpose: WEB_CLIENT_PURPOSE, wintehr_user: principal.userId },
        CLIENT_TOKEN_TTL_SECONDS,
        audience,
      );
      return {
        access_token: token,
        token_type: 'Bearer',
        expires_in: CLIENT_TOKEN_TTL_SECONDS,
        expires_at: exp,
        audience,
      };
    },
  );

  return router;
}
