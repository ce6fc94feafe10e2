import { Router } from 'express';
import {
  PortalProxies,
  ProxyGrant,
  ProxyGrantBody,
  ProxyGrantItemParams,
  ProxyGrantParams,
  ProxyGrants,
  type PortalActor,
} from '@wintehr/contracts';
import { requestAuditFields } from '../../core/audit/request-audit';
import { usersRepository } from '../../core/auth/users.repository';
import type { AppDeps } from '../../core/deps';
import { badRequest, conflict, forbidden, NotFoundError } from '../../core/errors';
import { humanNameText, readOr404 } from '../../core/fhir/fhir-kit';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { grantView } from './grant-view';
import { areasFor } from './portal-policy';
import { proxyGrantsRepository } from './proxy-grants.repository';
import { grantState } from './proxy-tier';
import { endedRelatedPerson, proxyRelatedPerson } from './related-person';

/** A bare date (YYYY-MM-DD) ends the grant at the start of that day, UTC; past ends are refused. */
function parseUntil(v: string | undefined): Date | null {
  if (!v) return null;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw badRequest('validUntil is not a date');
  if (d.getTime() <= Date.now()) throw badRequest('validUntil must be in the future');
  return d;
}

/**
 * Proxy access (issue 16): staff grant and revoke it from the chart; the portal asks whom its user may act for.
 * Acting for someone is resolved per request in portal-subject.ts.
 */
export function proxyAccessRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['proxy-access'];
  const tz = () => deps.config.clinical.timeZone;

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:id/proxies',
      summary: "Who may act for this patient in the portal (every grant, with today's status and tier)",
      tags,
      auth: 'patient:read',
      params: ProxyGrantParams,
      response: ProxyGrants,
    },
    async (ctx) => {
      const patientId = ctx.params.id;
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'proxy-grant.list',
        resourceType: 'RelatedPerson',
      });
      const patient = await readOr404(deps, 'Patient', patientId);
      const rows = await proxyGrantsRepository.forSubject(deps.pg, patientId);
      const now = new Date();
      phi.note({ count: rows.length });
      return { grants: rows.map((g) => grantView(g, patient.birthDate, now, tz())) };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:id/proxies',
      summary: 'Grant a portal user (parent, guardian or caregiver) proxy access to this patient',
      tags,
      auth: 'patient:write',
      params: ProxyGrantParams,
      body: ProxyGrantBody,
      response: ProxyGrant,
      successStatus: 201,
    },
    async (ctx) => {
      const patientId = ctx.params.id;
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'proxy-grant.create',
        resourceType: 'RelatedPerson',
      });
      const validUntil = parseUntil(ctx.body.validUntil);
      const proxy = await usersRepository.byUsername(deps.pg, ctx.body.proxyUsername);
      if (!proxy || proxy.role !== 'patient' || proxy.disabled)
        throw badRequest('The proxy must be an active patient portal account', { field: 'proxyUsername' });
      if (proxy.fhir_patient_id === patientId) throw badRequest('A patient cannot be their own proxy');
      const patient = await readOr404(deps, 'Patient', patientId);
      const live = await proxyGrantsRepository.latest(deps.pg, proxy.id, patientId);
      if (live && !live.revoked_at)
        throw conflict('This person already has proxy access to this patient: revoke it first', {}, 'PROXY_EXISTS');

      const now = new Date();
      const related = await deps.fhir.create(
        proxyRelatedPerson({
          subjectPatientId: patientId,
          proxyName: proxy.display_name,
          relationship: ctx.body.relationship,
          start: now,
          end: validUntil,
        }),
      );
      const id = await proxyGrantsRepository.insert(deps.pg, {
        proxyUserId: proxy.id,
        subjectPatientId: patientId,
        relationship: ctx.body.relationship,
        relatedPersonId: related.id ?? null,
        grantedBy: ctx.principal.userId,
        validUntil,
      });
      if (!id) {
        // A second click won the race: the first grant stands, this RelatedPerson goes.
        await deps.fhir.delete('RelatedPerson', related.id!).catch(() => undefined);
        throw conflict('This person already has proxy access to this patient: revoke it first', {}, 'PROXY_EXISTS');
      }
      const row = (await proxyGrantsRepository.byId(deps.pg, patientId, id))!;
      const view = grantView(row, patient.birthDate, new Date(), tz());
      phi.setResource('RelatedPerson', related.id);
      phi.note({ grantId: id, relationship: row.relationship, tier: view.tier, status: view.status });
      return view;
    },
  );

  mount(
    r,
    {
      method: 'delete',
      path: '/api/patients/:id/proxies/:grantId',
      summary: 'Revoke a proxy grant (takes effect on the proxy’s next request)',
      tags,
      auth: 'patient:write',
      params: ProxyGrantItemParams,
      response: ProxyGrant,
    },
    async (ctx) => {
      const { id: patientId, grantId } = ctx.params;
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'proxy-grant.revoke',
        resourceType: 'RelatedPerson',
      });
      const row = await proxyGrantsRepository.byId(deps.pg, patientId, grantId);
      if (!row) throw new NotFoundError('No such proxy grant for this patient', { grantId });
      if (!(await proxyGrantsRepository.revoke(deps.pg, grantId, ctx.principal.userId)))
        throw conflict('This proxy grant was already revoked', {}, 'PROXY_REVOKED');
      if (row.related_person_id) {
        // The grant table decides access; the RelatedPerson is the record's view of it, closed best-effort.
        const rp = await deps.fhir.read('RelatedPerson', row.related_person_id).catch(() => undefined);
        if (rp) await deps.fhir.update(endedRelatedPerson(rp, new Date())).catch(() => undefined);
      }
      phi.setResource('RelatedPerson', row.related_person_id ?? undefined);
      phi.note({ grantId });
      const patient = await readOr404(deps, 'Patient', patientId);
      const after = (await proxyGrantsRepository.byId(deps.pg, patientId, grantId))!;
      return grantView(after, patient.birthDate, new Date(), tz());
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/portal/proxies',
      summary: 'Whom I may act for in the portal: myself first, then the patients I hold an active proxy grant for',
      tags: ['portal', ...tags],
      auth: 'patient:read',
      response: PortalProxies,
    },
    async (ctx) => {
      const p = ctx.principal;
      if (p.role !== 'patient' || !p.patientId)
        throw forbidden('The patient portal is for patients; staff use the chart', { role: p.role });
      const me = await readOr404(deps, 'Patient', p.patientId);
      const subjects: PortalActor[] = [
        {
          patientId: p.patientId,
          name: humanNameText(me.name, { prefix: false }) ?? 'Me',
          actingAs: 'self',
          tier: 'self',
          relationship: null,
          areas: areasFor('self'),
        },
      ];
      const now = new Date();
      for (const g of await proxyGrantsRepository.liveForProxy(deps.pg, p.userId)) {
        const patient = await deps.fhir.read('Patient', g.subject_patient_id).catch(() => undefined);
        if (!patient) continue;
        const state = grantState(
          { birthDate: patient.birthDate, grantedAt: g.granted_at, validUntil: g.valid_until, revokedAt: g.revoked_at },
          now,
          tz(),
        );
        if (state.status !== 'active') continue;
        deps.audit.record({
          ...requestAuditFields(ctx.req, ctx.res, p),
          action: 'portal.proxy.list',
          outcome: 'success',
          patientId: g.subject_patient_id,
          resourceType: 'Patient',
          resourceId: g.subject_patient_id,
          proxy: { grantId: g.id, relationship: g.relationship },
        });
        subjects.push({
          patientId: g.subject_patient_id,
          name: humanNameText(patient.name, { prefix: false }) ?? 'Patient',
          actingAs: 'proxy',
          tier: state.tier,
          relationship: g.relationship,
          areas: areasFor(state.tier),
        });
      }
      return { subjects };
    },
  );

  return r;
}
