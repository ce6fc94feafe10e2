import { Router, type Request, type Response } from 'express';
import {
  PasswordResetAccepted,
  PasswordResetBody,
  PasswordResetCompleteBody,
  PasswordResetDone,
  PortalAccountParams,
  PortalAccountStatus,
  PortalActivateBody,
  PortalActivation,
  PortalInvitation,
  PortalInvitationBody,
} from '@wintehr/contracts';
import { requestAuditFields } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { LoginRateLimiter } from '../auth/login-rate-limit';
import { PortalAccountsService } from './portal-accounts.service';

const clientOf = (req: Request, res: Response) => {
  const { clientIp, userAgent, requestId } = requestAuditFields(req, res);
  return { clientIp, userAgent, requestId };
};

/** /api/portal-accounts: invitations (staff), activation and password reset (public, by single-use link). */
export function portalAccountsRouter(deps: AppDeps): Router {
  const r = Router();
  const svc = new PortalAccountsService(deps);
  const tags = ['portal-accounts'];
  // Public endpoints that send messages or try link tokens share the login budgets (per address, per account).
  const limiter = new LoginRateLimiter(deps.redis, {
    perIp: deps.config.auth.ratePerIp,
    perUser: deps.config.auth.ratePerUser,
  });

  mount(
    r,
    {
      method: 'get',
      path: '/api/portal-accounts/patients/:patientId',
      summary: "A patient's portal account: whether one exists, an open invitation, the channels on file (masked)",
      tags,
      auth: 'portal:invite',
      params: PortalAccountParams,
      response: PortalAccountStatus,
    },
    async (ctx) => {
      await requirePatientAccess(deps, ctx, ctx.params.patientId, {
        action: 'portal.account.read',
        resourceType: 'Patient',
        resourceId: ctx.params.patientId,
      });
      return svc.status(ctx.params.patientId);
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/portal-accounts/invitations',
      summary: "Invite a patient to the portal: a single-use 72-hour link to the chart's email or mobile number",
      tags,
      auth: 'portal:invite',
      body: PortalInvitationBody,
      response: PortalInvitation,
      successStatus: 201,
    },
    async (ctx) => {
      const phi = await requirePatientAccess(deps, ctx, ctx.body.patientId, {
        action: 'portal.invite',
        resourceType: 'Patient',
        resourceId: ctx.body.patientId,
      });
      phi.note({ channel: ctx.body.channel });
      return svc.invite(ctx.body.patientId, ctx.body.channel, ctx.principal.userId);
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/portal-accounts/activate',
      summary: 'Activate a portal account from an invitation link: choose a username and password',
      tags,
      auth: 'public',
      body: PortalActivateBody,
      response: PortalActivation,
      successStatus: 201,
    },
    async ({ req, res, body }) => {
      res.setHeader('Cache-Control', 'no-store');
      const client = clientOf(req, res);
      await limiter.consume(client.clientIp ?? 'unknown', `activate:${body.username}`);
      return svc.activate(body.token, body.username, body.password, client);
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/portal-accounts/password-reset',
      summary: 'Ask for a password reset link (always 202: the answer never says whether the account exists)',
      tags,
      auth: 'public',
      body: PasswordResetBody,
      response: PasswordResetAccepted,
      successStatus: 202,
    },
    async ({ req, res, body }) => {
      const client = clientOf(req, res);
      await limiter.consume(client.clientIp ?? 'unknown', `reset:${body.username ?? body.email}`);
      // After the answer: its timing must not depend on whether an account was found.
      setImmediate(() => {
        svc.requestReset(body, client).catch((err: Error & { code?: string }) => {
          deps.logger.warn({ err: { name: err.name, code: err.code } }, 'password reset request failed');
        });
      });
      return { status: 'accepted' as const };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/portal-accounts/password-reset/complete',
      summary: 'Set a new password from a reset link; signs out every session of the account',
      tags,
      auth: 'public',
      body: PasswordResetCompleteBody,
      response: PasswordResetDone,
    },
    async ({ req, res, body }) => {
      res.setHeader('Cache-Control', 'no-store');
      const client = clientOf(req, res);
      await limiter.consume(client.clientIp ?? 'unknown', `reset-complete:${body.token.slice(0, 16)}`);
      const { revokedSessions } = await svc.completeReset(body.token, body.password, client);
      return { status: 'password_changed' as const, revokedSessions };
    },
  );
  return r;
}
