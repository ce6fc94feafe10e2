import { Router, type Request, type Response } from 'express';
import { mount } from '../../core/http/route';
import type { Principal } from '../../core/auth/principal';
import { requestAuditFields } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { notFound, unauthorized } from '../../core/errors';
import { usersRepository } from '../../core/auth/users.repository';
import { AuthService, toPublicUser } from './auth.service';
import { LoginRateLimiter } from './login-rate-limit';
import { LoginOtp } from './login-otp';
import { sessionsRepository } from './sessions';
import { RefreshTokenStore } from './refresh-tokens';
import {
  AuthSessionList,
  AuthSessionParams,
  CodeBody,
  CurrentUser,
  LoginBody,
  LoginResult,
  LogoutBody,
  MfaActivation,
  MfaEnrollment,
  MfaLoginBody,
  OtpLoginBody,
  OtpResendBody,
  OtpResendResult,
  permissionsOf,
  RefreshBody,
  RevokedSessions,
  StepUpResult,
  TokenPair,
} from '@wintehr/contracts';

const clientOf = (req: Request, res: Response) => {
  const { clientIp, userAgent, requestId } = requestAuditFields(req, res);
  return { clientIp, userAgent, requestId };
};

export function authRouter(deps: AppDeps): Router {
  const { config, pg, tokens } = deps;
  const auth = new AuthService(
    pg,
    config,
    tokens,
    new RefreshTokenStore(pg, config.auth.refreshTokenTtl),
    new LoginRateLimiter(deps.redis, { perIp: config.auth.ratePerIp, perUser: config.auth.ratePerUser }),
    deps.audit,
    deps.mfaKey,
    new LoginOtp(pg, deps.fhir, deps.notify, config.portalAccounts, deps.mfaKey),
  );
  const r = Router();
  const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

  r.get('/.well-known/jwks.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(tokens.publicJwks);
  });

  mount(
    r,
    {
      method: 'post',
      path: '/api/auth/login',
      summary: 'Log in with username and password',
      tags: ['auth'],
      auth: 'public',
      body: LoginBody,
      response: LoginResult,
    },
    async ({ req, res, body }) => {
      noStore(res);
      return auth.loginWithOtp(body.username, body.password, clientOf(req, res));
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/auth/login/mfa',
      summary: 'Complete a login with a TOTP or recovery code',
      tags: ['auth'],
      auth: 'public',
      body: MfaLoginBody,
      response: LoginResult,
    },
    async ({ req, res, body }) => {
      noStore(res);
      return auth.completeMfa(body.mfaToken, { totp: body.code, recoveryCode: body.recoveryCode }, clientOf(req, res));
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/auth/login/otp',
      summary: 'Complete a patient login with the one-time code sent by email or SMS',
      tags: ['auth'],
      auth: 'public',
      body: OtpLoginBody,
      response: LoginResult,
    },
    async ({ req, res, body }) => {
      noStore(res);
      return auth.completeOtp(body.otpToken, body.code, clientOf(req, res));
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/auth/login/otp/resend',
      summary: 'Send a new sign-in code (after a cool-down), optionally on another channel on file',
      tags: ['auth'],
      auth: 'public',
      body: OtpResendBody,
      response: OtpResendResult,
    },
    async ({ req, res, body }) => {
      noStore(res);
      return auth.resendOtp(body.otpToken, body.channel, clientOf(req, res));
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/auth/refresh',
      summary: 'Rotate a refresh token',
      tags: ['auth'],
      auth: 'public',
      body: RefreshBody,
      response: TokenPair,
    },
    async ({ req, res, body }) => {
      noStore(res);
      return auth.refreshTokens(body.refreshToken, clientOf(req, res));
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/auth/logout',
      summary: 'Revoke the access token and the refresh-token family',
      tags: ['auth'],
      auth: 'authenticated',
      body: LogoutBody,
    },
    async ({ req, res, body, principal }) => {
      await auth.logout(principal, body.refreshToken, clientOf(req, res));
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/auth/me',
      summary: 'The current user and permissions',
      tags: ['auth'],
      auth: 'authenticated',
      response: CurrentUser,
    },
    async ({ principal }) => {
      const user = await usersRepository.byId(pg, principal.userId);
      if (!user || user.disabled) throw unauthorized('Account no longer active');
      return { ...toPublicUser(user), permissions: permissionsOf(user.role), mfaAt: principal.mfaAt ?? null };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/auth/sessions',
      summary: 'My signed-in sessions (devices), this one marked',
      tags: ['auth'],
      auth: 'authenticated',
      response: AuthSessionList,
    },
    async ({ res, principal }) => {
      noStore(res);
      return { sessions: await sessionsRepository.list(pg, principal.userId, principal.tokenId) };
    },
  );

  mount(
    r,
    {
      method: 'delete',
      path: '/api/auth/sessions/:id',
      summary: 'Sign out one of my sessions',
      tags: ['auth'],
      auth: 'authenticated',
      params: AuthSessionParams,
      response: RevokedSessions,
    },
    async ({ req, res, params, principal }) => {
      const revoked = await sessionsRepository.revoke(pg, principal.userId, config.auth.accessTokenTtl, {
        familyIds: [params.id],
      });
      if (!revoked) throw notFound('Session', params.id);
      deps.audit.record({
        ...clientOf(req, res),
        action: 'auth.session.revoke',
        outcome: 'success',
        userId: principal.userId,
        username: principal.username,
        role: principal.role,
      });
      return { revoked };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/auth/sessions/revoke-others',
      summary: 'Sign out every session but this one',
      tags: ['auth'],
      auth: 'authenticated',
      response: RevokedSessions,
    },
    async ({ req, res, principal }) => {
      const revoked = await sessionsRepository.revoke(pg, principal.userId, config.auth.accessTokenTtl, {
        exceptJti: principal.tokenId,
      });
      deps.audit.record({
        ...clientOf(req, res),
        action: 'auth.session.revoke-others',
        outcome: 'success',
        userId: principal.userId,
        username: principal.username,
        role: principal.role,
        details: { revoked },
      });
      return { revoked };
    },
  );

  // Enrollment accepts either a normal access token or the restricted enrollment token from login.
  const enrollPrincipal = async (req: Request, res: Response): Promise<Principal> => {
    if (res.locals.principal) return res.locals.principal as Principal;
    const token = req.get('x-mfa-enrollment-token');
    if (!token) throw unauthorized();
    return tokens.verify(token, 'mfa_enroll');
  };
  mount(
    r,
    {
      method: 'post',
      path: '/api/auth/mfa/enroll',
      summary: 'Start TOTP enrollment (otpauth URI and QR code)',
      tags: ['auth'],
      auth: 'public',
      response: MfaEnrollment,
    },
    async ({ req, res }) => {
      noStore(res);
      return auth.startEnrollment(await enrollPrincipal(req, res));
    },
  );
  mount(
    r,
    {
      method: 'post',
      path: '/api/auth/mfa/activate',
      summary: 'Confirm TOTP enrollment; returns one-time recovery codes',
      tags: ['auth'],
      auth: 'public',
      body: CodeBody,
      response: MfaActivation,
    },
    async ({ req, res, body }) => {
      noStore(res);
      return auth.activateEnrollment(await enrollPrincipal(req, res), body.code, clientOf(req, res));
    },
  );
  mount(
    r,
    {
      method: 'post',
      path: '/api/auth/step-up',
      summary: 'Fresh second factor for sensitive actions (EPCS)',
      tags: ['auth'],
      auth: 'authenticated',
      body: CodeBody,
      response: StepUpResult,
    },
    async ({ req, res, body, principal }) => {
      noStore(res);
      return auth.stepUp(principal, body.code, clientOf(req, res));
    },
  );
  return r;
}
