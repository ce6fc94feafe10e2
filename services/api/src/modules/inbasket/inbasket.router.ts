import { consumePortalWrite } from './portal-rate-limit';
import { Router } from 'express';
import {
  InbasketActionBody,
  InbasketActionResult,
  InbasketCounts,
  InbasketItemParams,
  InbasketList,
  InbasketQuery,
  PortalMessageBody,
  PortalRefillBody,
  PortalRequest,
  PortalRequests,
} from '@wintehr/contracts';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { mount } from '../../core/http/route';
import { enterPortalSubject, type PortalSubject } from '../proxy-access/portal-subject';
import { act, countItems, listItems } from './inbasket.service';
import { myRequests, requestRefill, sendMessage, type ProxyFiling } from './portal.service';

/** A proxy files as their RelatedPerson; a proxy of a 12–17 year old sees only their own requests. */
const proxyFiling = (s: PortalSubject): ProxyFiling =>
  s.actingAs === 'proxy'
    ? { ...(s.relatedPersonId ? { sender: `RelatedPerson/${s.relatedPersonId}` } : {}), ownOnly: s.tier === 'limited' }
    : {};

/**
 * The clinician in-basket (issue 15) and the patient's side of it (portal messages and refill requests). Each
 * answer is dispatched to the workflow that owns the item, with that workflow's permission and patient check.
 */
export function inbasketRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['inbasket'];

  mount(
    r,
    {
      method: 'get',
      path: '/api/inbasket',
      summary: 'Open items for the signed-in clinician and the pools of their role, optionally of one kind',
      tags,
      // Staff only (a patient gets 403 from the service); each answer needs its own workflow's permission.
      auth: 'patient:read',
      query: InbasketQuery,
      response: InbasketList,
    },
    async ({ req, res, query, principal }) => {
      const items = await listItems(deps, principal, query.kind);
      auditRequest(deps.audit, req, res, {
        action: 'inbasket.read',
        outcome: 'success',
        details: { count: items.length, kind: query.kind ?? null },
      });
      return { total: items.length, items };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/inbasket/counts',
      summary: 'Number of open in-basket items per kind (badges)',
      tags,
      auth: 'patient:read',
      response: InbasketCounts,
    },
    async ({ principal }) => countItems(await listItems(deps, principal)),
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/inbasket/:itemId/actions',
      summary:
        'Answer an item: approve / deny (reason) / acknowledge / discontinue / resend / reply / cosign / complete',
      tags,
      auth: 'patient:read',
      params: InbasketItemParams,
      body: InbasketActionBody,
      response: InbasketActionResult,
    },
    (ctx) => act(deps, ctx, ctx.params.itemId, ctx.body),
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/portal/messages',
      summary: "A patient's message to their clinician (Communication; lands in the clinician's in-basket)",
      tags: ['portal'],
      auth: 'patient:read',
      body: PortalMessageBody,
      response: PortalRequest,
      successStatus: 201,
    },
    async (ctx) => {
      const subject = await enterPortalSubject(deps, ctx, 'messages');
      if (ctx.principal.patientId) await consumePortalWrite(deps.redis, ctx.principal.patientId);
      return sendMessage(deps, ctx, ctx.body, proxyFiling(subject));
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/portal/refill-requests',
      summary: "A patient's refill request for one of their own active prescriptions",
      tags: ['portal'],
      auth: 'medication:view',
      body: PortalRefillBody,
      response: PortalRequest,
      successStatus: 201,
    },
    async (ctx) => {
      const subject = await enterPortalSubject(deps, ctx, 'refills');
      if (ctx.principal.patientId) await consumePortalWrite(deps.redis, ctx.principal.patientId);
      return requestRefill(deps, ctx, ctx.body, proxyFiling(subject));
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/portal/requests',
      summary: "The patient's messages and refill requests with the clinician's answers",
      tags: ['portal'],
      auth: 'patient:read',
      response: PortalRequests,
    },
    async (ctx) => {
      const subject = await enterPortalSubject(deps, ctx, 'requests');
      return { items: await myRequests(deps, ctx, proxyFiling(subject)) };
    },
  );

  return r;
}
