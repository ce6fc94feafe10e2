import { consumePortalWrite } from './portal-rate-limit';
import { Router } from 'express';
import {
  InbasketActionBody,
  InbasketActionResult,
  InbasketCounts,
  InbasketItemParams,
  InbasketList,
  InbasketQuery,
  MessageAttachmentParams,
  PortalMessageBody,
  PortalRefillBody,
  PortalRequest,
  PortalRequests,
} from '@wintehr/contracts';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { mount } from '../../core/http/route';
import { enterPortalSubject, type PortalSubject } from '../proxy-access/portal-subject';
import { sendAttachment } from './attachment-download';
import { act, countItems, listItems } from './inbasket.service';
import { readMessageInput } from './message-input';
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
      summary:
        "A patient's message to their clinician (Communication; lands in the clinician's in-basket). JSON, or " +
        'multipart/form-data with subject, text and up to 3 files (PDF, JPEG, PNG, HEIC, UTF-8 text; 5 MB each)',
      tags: ['portal'],
      auth: 'patient:read',
      // Optional here because a multipart body is read by the handler; a JSON body is still required there.
      body: PortalMessageBody.optional(),
      response: PortalRequest,
      successStatus: 201,
    },
    async (ctx) => {
      const subject = await enterPortalSubject(deps, ctx, 'messages');
      if (ctx.principal.patientId) await consumePortalWrite(deps.redis, ctx.principal.patientId);
      const { body, files } = await readMessageInput(ctx.req, ctx.body);
      return sendMessage(deps, ctx, body, proxyFiling(subject), files);
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/messages/:communicationId/attachments/:index',
      summary: "One file attached to a patient's message (the patient, their proxy, or staff with access; audited)",
      tags: ['portal', 'inbasket'],
      auth: 'patient:read',
      params: MessageAttachmentParams,
    },
    async (ctx) => {
      const proxy =
        ctx.principal.role === 'patient' ? proxyFiling(await enterPortalSubject(deps, ctx, 'messages')) : {};
      await sendAttachment(deps, ctx, ctx.params.communicationId, ctx.params.index, proxy);
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
