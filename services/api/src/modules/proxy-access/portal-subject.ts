import type { Request, Response } from 'express';
import {
  ACTING_FOR_HEADER,
  FHIR_ID_RE,
  type PortalArea,
  type PortalTier,
  type ProxyRelationship,
} from '@wintehr/contracts';
import { requestAuditFields } from '../../core/audit/request-audit';
import type { AuditProxy } from '../../core/audit/audit-types';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { AppError, NotFoundError, badRequest, forbidden } from '../../core/errors';
import { tierAllows } from './portal-policy';
import { proxyGrantsRepository, type GrantRow } from './proxy-grants.repository';
import { grantState } from './proxy-tier';

export interface PortalSubject {
  patientId: string;
  actingAs: 'self' | 'proxy';
  tier: PortalTier;
  proxyGrantId?: string;
  relationship?: ProxyRelationship;
  /** The proxy as a RelatedPerson of the subject in HAPI: the sender of what they file for the subject. */
  relatedPersonId?: string;
}

type Deps = Pick<AppDeps, 'pg' | 'fhir' | 'audit' | 'config'>;

const NO_GRANT = 'You have no proxy access to this patient';

function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p || p.role !== 'patient' || !p.patientId)
    throw forbidden('The patient portal is for patients; staff use the chart', { role: p?.role });
  return p;
}

function deny(deps: Deps, req: Request, res: Response, patientId: string, reason: string, error: AppError): never {
  deps.audit.record({
    ...requestAuditFields(req, res),
    action: 'portal.proxy.access',
    outcome: 'denied',
    ...(FHIR_ID_RE.test(patientId) ? { patientId } : {}),
    details: { reason },
  });
  throw error;
}

async function birthDateOf(deps: Deps, patientId: string): Promise<string | undefined | null> {
  try {
    return (await deps.fhir.read('Patient', patientId)).birthDate;
  } catch (err) {
    if (err instanceof NotFoundError || (err instanceof AppError && err.status === 404)) return null;
    throw err;
  }
}

/** Why a grant that exists does not let the proxy in today, in words the proxy understands. */
const ENDED: Record<string, string> = {
  revoked: 'Your proxy access to this patient was revoked',
  expired: 'Your proxy access to this patient has expired',
  'aged-out': 'Your proxy access ended when this patient turned 18; the practice can grant it again with their consent',
};

/**
 * Whose record a portal request is about: the signed-in patient, or — with the `X-Acting-For: <patientId>` header —
 * someone they hold an active proxy grant for (the only place the portal takes a patient id from the request). A
 * missing grant and a patient that does not exist get the same 403, so the header cannot probe for patients; a grant
 * that ended says why. Every refusal is audited.
 */
export async function resolvePortalSubject(deps: Deps, req: Request): Promise<PortalSubject> {
  const res = req.res!;
  const principal = principalOf(res);
  const raw = req.get(ACTING_FOR_HEADER)?.trim();
  if (!raw || raw === principal.patientId) return { patientId: principal.patientId!, actingAs: 'self', tier: 'self' };
  if (!FHIR_ID_RE.test(raw)) throw badRequest(`${ACTING_FOR_HEADER} must be a patient id`);

  const grant: GrantRow | undefined = await proxyGrantsRepository.latest(deps.pg, principal.userId, raw);
  if (!grant) return deny(deps, req, res, raw, 'no proxy grant', notGranted());
  const birthDate = await birthDateOf(deps, raw);
  if (birthDate === null) return deny(deps, req, res, raw, 'no proxy grant', notGranted());
  const state = grantState(
    { birthDate, grantedAt: grant.granted_at, validUntil: grant.valid_until, revokedAt: grant.revoked_at },
    new Date(),
    deps.config.clinical.timeZone,
  );
  if (state.status !== 'active')
    return deny(
      deps,
      req,
      res,
      raw,
      `proxy grant ${state.status}`,
      new AppError(403, 'PROXY_ACCESS_ENDED', ENDED[state.status]!, { status: state.status }),
    );
  return {
    patientId: raw,
    actingAs: 'proxy',
    tier: state.tier,
    proxyGrantId: grant.id,
    relationship: grant.relationship,
    ...(grant.related_person_id ? { relatedPersonId: grant.related_person_id } : {}),
  };
}

const notGranted = () => new AppError(403, 'PROXY_NOT_GRANTED', NO_GRANT);

interface Ctx {
  req: Request;
  res: Response;
  principal: Principal;
}

/**
 * The portal route's entry: resolves the subject, checks the route's area against the tier, and — when acting for
 * someone — scopes the request to the subject: the handler's principal carries the subject's compartment (so the
 * ordinary patient access check and the handler's own reads follow it) while still naming the proxy as the user,
 * and every audit record of the request is flagged as proxy access.
 */
export async function enterPortalSubject(deps: Deps, ctx: Ctx, area: PortalArea): Promise<PortalSubject> {
  const subject = await resolvePortalSubject(deps, ctx.req);
  if (subject.actingAs === 'proxy')
    ctx.res.locals.auditProxy = {
      grantId: subject.proxyGrantId!,
      relationship: subject.relationship!,
    } satisfies AuditProxy;
  if (!tierAllows(subject.tier, area))
    deny(
      deps,
      ctx.req,
      ctx.res,
      subject.patientId,
      `tier ${subject.tier} excludes ${area}`,
      new AppError(403, 'PROXY_TIER_DENIED', 'This is not available to a proxy for a 12–17 year old', { area }),
    );
  if (subject.actingAs === 'proxy') ctx.principal = { ...ctx.principal, patientId: subject.patientId };
  return subject;
}
