import { Router, type Request, type Response } from 'express';
import { requestAuditFields } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { AppError } from '../../core/errors';
import { AuthService, principalOf } from '../auth/auth.service';
import { LoginRateLimiter } from '../auth/login-rate-limit';
import { LoginOtp } from '../auth/login-otp';
import { RefreshTokenStore } from '../auth/refresh-tokens';
import { usersRepository, type UserRow } from '../../core/auth/users.repository';
import { checkAuthorizeRequest } from './authorize-request';
import { consentPage, errorPage, loginPage, mfaPage, patientPickerPage, type PageCtx } from './authorize-pages';
import { clientsRepository } from './clients.repository';
import { smartUrls } from './discovery';
import {
  authorizationCodes,
  launchContexts,
  pendingRequests,
  type PendingRequest,
  type Stage,
} from './grants.repository';
import { auditSmart, formBody } from './oauth-http';
import { errorRedirectUrl, type OAuthErrorCode } from './oauth-errors';
import { applyConsent, checkRoleScopes, needsPatient, parseScope, type ParsedScope } from './scope-policy';
import { candidatePatients, patientLabel } from './patient-candidates';
import { FHIR_ID_RE } from '../../core/fhir/fhir-kit';

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];

/**
 * The SMART authorization endpoint: a server-rendered, cookie-less flow. The pending request lives in
 * PostgreSQL under an opaque id carried in each form together with a CSRF value that changes at every step:
 * login (with TOTP when the account has MFA), patient picker (standalone launch/patient for staff), consent
 * (untick or narrow scopes), then the code is issued and the browser is redirected to the app.
 */
/** Marks a pending request's second factor as an emailed/texted code (patients) rather than TOTP (staff). */
const OTP_PREFIX = 'otp:';

export function authorizeRouter(deps: AppDeps): Router {
  const { pg, config } = deps;
  const r = Router();
  const urls = smartUrls(config.publicBaseUrl);
  const auth = new AuthService(
    pg,
    config,
    deps.tokens,
    new RefreshTokenStore(pg, config.auth.refreshTokenTtl),
    new LoginRateLimiter(deps.redis, { perIp: config.auth.ratePerIp, perUser: config.auth.ratePerUser }),
    deps.audit,
    deps.mfaKey,
    // Patients sign in to apps as to the portal: password, then a code sent by email or SMS.
    new LoginOtp(pg, deps.fhir, deps.notify, config.portalAccounts, deps.mfaKey),
  );
  const clientInfo = (req: Request, res: Response) => {
    const f = requestAuditFields(req, res);
    return { clientIp: f.clientIp, userAgent: f.userAgent, requestId: f.requestId };
  };
  const origin = (uri: string) => new URL(uri).origin;

  const audit = (
    req: Request,
    res: Response,
    outcome: 'success' | 'denied' | 'failure',
    clientId: string | undefined,
    details: Record<string, unknown>,
    who: { userId?: string; patientId?: string } = {},
  ) => auditSmart(deps, req, res, 'smart.authorize', outcome, { clientId, ...who, details });

  /** Ends the flow at the client with an OAuth error (only ever to a verified redirect URI). */
  const redirectError = (
    req: Request,
    res: Response,
    p: PendingRequest | { clientId: string; redirectUri: string; state?: string },
    error: OAuthErrorCode,
    description: string,
    stage: string,
    userId?: string,
  ) => {
    const params = 'params' in p ? p.params : p;
    audit(
      req,
      res,
      error === 'access_denied' ? 'denied' : 'failure',
      params.clientId,
      { stage, error, reason: description.slice(0, 200) },
      { userId },
    );
    res.redirect(302, errorRedirectUrl(params.redirectUri, error, description, params.state));
  };

  const start = async (req: Request, res: Response) => {
    const q = (req.method === 'POST' ? req.body : req.query) as Record<string, unknown>;
    const check = await checkAuthorizeRequest(pg, q ?? {}, urls.fhirBase);
    if (check.kind === 'page') {
      audit(req, res, 'failure', check.clientId ?? str(q?.client_id)?.slice(0, 128), {
        stage: 'request',
        error: 'invalid_request',
        reason: check.message,
      });
      errorPage(res, 400, check.message);
      return;
    }
    if (check.kind === 'redirect') {
      redirectError(
        req,
        res,
        { clientId: check.client.client_id, redirectUri: check.redirectUri, state: check.state },
        check.error,
        check.description,
        'request',
      );
      return;
    }
    const { id, csrf } = await pendingRequests.create(pg, check.params);
    audit(req, res, 'success', check.client.client_id, {
      stage: 'request',
      scopes: check.params.scope.length,
      ehrLaunch: !!check.params.launch,
    });
    loginPage(res, {
      requestId: id,
      csrf,
      clientName: check.client.name,
      redirectOrigin: origin(check.params.redirectUri),
    });
  };
  r.get('/oauth/authorize', (req, res, next) => {
    start(req, res).catch(next);
  });
  r.post('/oauth/authorize', formBody, (req, res, next) => {
    start(req, res).catch(next);
  });

  /** Loads the pending request of a form post; a stale, forged or replayed form gets an error page. */
  const take = async (
    req: Request,
    res: Response,
    stage: Stage,
  ): Promise<{ p: PendingRequest; ctx: (csrf: string) => PageCtx } | undefined> => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const id = str(b.request_id);
    const csrf = str(b.csrf);
    const p = id && csrf ? await pendingRequests.take(pg, id, csrf, stage) : undefined;
    if (!p) {
      audit(req, res, 'denied', undefined, {
        stage,
        error: 'invalid_request',
        reason: 'unknown, expired or replayed authorization form',
      });
      errorPage(res, 400, 'This sign-in form has expired or was already submitted. Start again from the application.');
      return undefined;
    }
    const client = await clientsRepository.byId(pg, p.client_id);
    const name = client?.name ?? p.client_id;
    return {
      p,
      ctx: (next: string) => ({
        requestId: id!,
        csrf: next,
        clientName: name,
        redirectOrigin: origin(p.params.redirectUri),
      }),
    };
  };

  /** After authentication: role/scope rules, launch context, then the patient picker or consent. */
  const afterLogin = async (
    req: Request,
    res: Response,
    p: PendingRequest,
    user: UserRow,
    ctx: (csrf: string) => PageCtx,
  ) => {
    const scopes = p.params.scope.map(parseScope).filter((s): s is ParsedScope => !!s);
    const role = checkRoleScopes(user.role, scopes);
    if (!role.ok) return redirectError(req, res, p, 'invalid_scope', role.description, 'login', user.id);
    let patientId: string | undefined;
    let encounterId: string | undefined;
    let ehrLaunch = false;
    if (p.params.launch) {
      const l = await launchContexts.consume(pg, p.params.launch, p.client_id, user.id);
      if (!l)
        return redirectError(
          req,
          res,
          p,
          'invalid_request',
          'launch is expired, already used or bound to another user',
          'launch',
          user.id,
        );
      patientId = l.patient_id;
      encounterId = l.encounter_id ?? undefined;
      ehrLaunch = true;
    } else if (user.role === 'patient') {
      patientId = user.fhir_patient_id ?? undefined;
    } else if (needsPatient(scopes)) {
      const csrf = await pendingRequests.advance(pg, p.id_hash, 'patient', { userId: user.id, mfaToken: null });
      audit(req, res, 'success', p.client_id, { stage: 'login', next: 'patient' }, { userId: user.id });
      return patientPickerPage(res, ctx(csrf), await candidatePatients(deps, user));
    }
    const csrf = await pendingRequests.advance(pg, p.id_hash, 'consent', {
      userId: user.id,
      mfaToken: null,
      ...(patientId ? { patientId } : {}),
      encounterId: encounterId ?? null,
      ehrLaunch,
    });
    audit(
      req,
      res,
      'success',
      p.client_id,
      { stage: 'login', next: 'consent', ehrLaunch },
      { userId: user.id, patientId },
    );
    return consentPage(res, ctx(csrf), scopes, patientId ? await patientLabel(deps, patientId) : undefined);
  };

  /** AuthService errors (bad password, lockout, rate limit, bad TOTP) become a message on the same form. */
  const loginMessage = (err: unknown): string | undefined => {
    if (!(err instanceof AppError)) return undefined;
    if (err.code === 'ACCOUNT_LOCKED') return 'Account temporarily locked after repeated failures. Try again later.';
    if (err.status === 429) return 'Too many attempts. Wait a moment and try again.';
    if (err.code === 'INVALID_MFA_CODE' || err.code === 'MFA_CODE_REPLAYED')
      return 'That code is not valid. Enter the current code from your authenticator app.';
    if (err.code === 'INVALID_OTP_CODE') return 'That code is not valid. Enter the code we sent you.';
    if (err.code === 'NO_CONTACT_ON_FILE')
      return 'We have no email address or mobile number to send your sign-in code to. Contact the practice.';
    if (err.status === 401) return 'Invalid username or password.';
    return undefined;
  };

  r.post('/oauth/authorize/login', formBody, async (req, res, next) => {
    try {
      const t = await take(req, res, 'login');
      if (!t) return;
      const b = req.body as Record<string, unknown>;
      const username = str(b.username)?.slice(0, 64);
      const password = str(b.password)?.slice(0, 256);
      let result;
      try {
        if (!username || !password) throw new AppError(401, 'INVALID_CREDENTIALS', 'missing');
        result = await auth.loginWithOtp(username, password, clientInfo(req, res));
      } catch (err) {
        const msg = loginMessage(err);
        if (!msg) throw err;
        const csrf = await pendingRequests.advance(pg, t.p.id_hash, 'login');
        audit(req, res, 'denied', t.p.client_id, { stage: 'login', reason: (err as AppError).code });
        return loginPage(res, t.ctx(csrf), msg);
      }
      if (result.status === 'mfa_required') {
        const csrf = await pendingRequests.advance(pg, t.p.id_hash, 'mfa', { mfaToken: result.mfaToken });
        return mfaPage(res, t.ctx(csrf));
      }
      if (result.status === 'otp_required') {
        // The second-factor stage holds either challenge; the prefix says which one the code answers.
        const csrf = await pendingRequests.advance(pg, t.p.id_hash, 'mfa', {
          mfaToken: `${OTP_PREFIX}${result.otpToken}`,
        });
        return mfaPage(res, t.ctx(csrf), undefined, result.sentTo);
      }
      if (result.status === 'mfa_enrollment_required') {
        return redirectError(
          req,
          res,
          t.p,
          'access_denied',
          'two-factor authentication must be set up in WintEHR before connecting apps',
          'login',
        );
      }
      const user = await usersRepository.byId(pg, result.user.id);
      if (!user) return redirectError(req, res, t.p, 'access_denied', 'account not available', 'login');
      await afterLogin(req, res, t.p, user, t.ctx);
    } catch (err) {
      next(err);
    }
  });

  r.post('/oauth/authorize/mfa', formBody, async (req, res, next) => {
    try {
      const t = await take(req, res, 'mfa');
      if (!t) return;
      const code = str((req.body as Record<string, unknown>).code)?.slice(0, 16) ?? '';
      const pending = t.p.mfa_token ?? '';
      const otpToken = pending.startsWith(OTP_PREFIX) ? pending.slice(OTP_PREFIX.length) : undefined;
      let result;
      try {
        result = otpToken
          ? await auth.completeOtp(otpToken, code, clientInfo(req, res))
          : await auth.completeMfa(pending, { totp: code }, clientInfo(req, res));
      } catch (err) {
        const msg = loginMessage(err);
        if (!msg) throw err;
        const retry = ['INVALID_MFA_CODE', 'MFA_CODE_REPLAYED', 'INVALID_OTP_CODE'].includes((err as AppError).code);
        if ((err as AppError).status === 401 && !retry) {
          return redirectError(req, res, t.p, 'access_denied', 'the sign-in expired; start again', 'mfa');
        }
        const csrf = await pendingRequests.advance(pg, t.p.id_hash, 'mfa');
        return mfaPage(res, t.ctx(csrf), msg, otpToken ? 'your email or phone' : undefined);
      }
      const user = await usersRepository.byId(pg, result.status === 'authenticated' ? result.user.id : '');
      if (!user) return redirectError(req, res, t.p, 'access_denied', 'account not available', 'mfa');
      await afterLogin(req, res, t.p, user, t.ctx);
    } catch (err) {
      next(err);
    }
  });

  r.post('/oauth/authorize/patient', formBody, async (req, res, next) => {
    try {
      const t = await take(req, res, 'patient');
      if (!t) return;
      const user = t.p.user_id ? await usersRepository.byId(pg, t.p.user_id) : undefined;
      if (!user || user.disabled)
        return redirectError(req, res, t.p, 'access_denied', 'account not available', 'patient');
      const b = req.body as Record<string, unknown>;
      const picked = str(b.patient_other)?.trim() || str(b.patient_id);
      const decision =
        picked && FHIR_ID_RE.test(picked)
          ? await deps.access.check({ ...principalOf(user), tokenId: 'smart-authorize', tokenExpiresAt: 0 }, picked)
          : { allowed: false as const, reason: 'no patient selected' };
      if (!decision.allowed) {
        audit(
          req,
          res,
          'denied',
          t.p.client_id,
          { stage: 'patient', reason: decision.reason },
          { userId: user.id, ...(picked && FHIR_ID_RE.test(picked) ? { patientId: picked } : {}) },
        );
        const csrf = await pendingRequests.advance(pg, t.p.id_hash, 'patient');
        return patientPickerPage(
          res,
          t.ctx(csrf),
          await candidatePatients(deps, user),
          'You have no care relationship with that patient. Choose another one.',
        );
      }
      const csrf = await pendingRequests.advance(pg, t.p.id_hash, 'consent', { patientId: picked! });
      audit(
        req,
        res,
        'success',
        t.p.client_id,
        { stage: 'patient', basis: decision.basis },
        { userId: user.id, patientId: picked },
      );
      const scopes = t.p.params.scope.map(parseScope).filter((s): s is ParsedScope => !!s);
      consentPage(res, t.ctx(csrf), scopes, await patientLabel(deps, picked!));
    } catch (err) {
      next(err);
    }
  });

  r.post('/oauth/authorize/consent', formBody, async (req, res, next) => {
    try {
      const t = await take(req, res, 'consent');
      if (!t) return;
      const { p } = t;
      const b = req.body as Record<string, unknown>;
      if (!p.user_id) return redirectError(req, res, p, 'access_denied', 'not signed in', 'consent');
      if (str(b.decision) !== 'allow')
        return redirectError(req, res, p, 'access_denied', 'the user denied access', 'consent', p.user_id);
      const requested = p.params.scope.map(parseScope).filter((s): s is ParsedScope => !!s);
      const narrowed: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(b)) if (k.startsWith('narrow:')) narrowed[k.slice(7)] = list(v);
      const granted = applyConsent(requested, { granted: list(b.scope), narrowed });
      if (!granted.length) {
        return redirectError(req, res, p, 'access_denied', 'no scopes were granted', 'consent', p.user_id);
      }
      await pendingRequests.advance(pg, p.id_hash, 'done');
      const code = await authorizationCodes.issue(pg, {
        clientId: p.client_id,
        userId: p.user_id,
        redirectUri: p.params.redirectUri,
        codeChallenge: p.params.codeChallenge,
        scopes: granted,
        patientId: p.patient_id,
        encounterId: p.encounter_id,
        ehrLaunch: p.ehr_launch,
        nonce: p.params.nonce,
      });
      audit(
        req,
        res,
        'success',
        p.client_id,
        {
          stage: 'consent',
          requested: requested.length,
          granted: granted.length,
          narrowed: Object.values(narrowed).some((v) => v.length),
          ehrLaunch: p.ehr_launch,
        },
        { userId: p.user_id, ...(p.patient_id ? { patientId: p.patient_id } : {}) },
      );
      const to = new URL(p.params.redirectUri);
      to.searchParams.set('code', code);
      to.searchParams.set('state', p.params.state);
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, to.toString());
    } catch (err) {
      next(err);
    }
  });
  return r;
}
