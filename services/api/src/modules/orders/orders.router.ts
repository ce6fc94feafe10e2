import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { badRequest, conflict, notFound } from '../../core/errors';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { publishQuietly, requesterOf } from '../medications/clinical-helpers';
import { idFromReference, readOr404 } from '../../core/fhir/fhir-kit';
import { CATEGORY, orderTypeOf, revoked } from './service-request';
import { catalogItem, searchCatalog } from './catalog';
import { ORDER_SETS, expandOrderSet, orderSet } from './order-sets';
import {
  CancelOrderBody,
  CancelOrderResult,
  CatalogQuery,
  CatalogResult,
  PatientRouteParams,
  OrderDetail,
  OrderIdParams,
  OrderList,
  OrderSetBody,
  OrderSetList,
  OrderSetParams,
  OrderSetsQuery,
  OrdersQuery,
  PlaceOrderBody,
  PlaceOrderResult,
  PlaceOrderSetResult,
} from '@wintehr/contracts';
import { placeOrders } from './place-orders';

const CANCELLABLE = new Set(['active', 'on-hold', 'draft']);

/** Orders / CPOE (seed 004 §4.3, §6.3.3): catalog, order sets, place with duplicate detection, status, cancel. */
export function ordersRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['orders'];

  mount(
    r,
    {
      method: 'get',
      path: '/api/orders/catalog',
      summary: 'Search the lab, imaging and referral catalog',
      tags,
      auth: 'order:view',
      query: CatalogQuery,
      response: CatalogResult,
    },
    ({ query }): CatalogResult => ({ items: searchCatalog(query.type, query.q, query.limit) }),
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/orders/order-sets',
      summary: 'Order sets (templates)',
      tags,
      auth: 'order:view',
      query: OrderSetsQuery,
      response: OrderSetList,
    },
    (): OrderSetList => ({
      items: ORDER_SETS.map((s) => ({
        ...s,
        items: expandOrderSet(s).items.map((i) => ({ ...i.item, priority: i.priority })),
      })),
    }),
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/orders',
      summary: 'Place a lab, imaging or referral order',
      tags,
      auth: 'order:place',
      params: PatientRouteParams,
      body: PlaceOrderBody,
      response: PlaceOrderResult,
      successStatus: 201,
    },
    async ({ req, res, params, body, principal }) => {
      const item = catalogItem(body.type, body.code);
      if (!item)
        throw badRequest(`Unknown ${body.type} order code`, [
          { field: 'body.code', message: `${body.code} is not in the ${body.type} catalog` },
        ]);
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'order.place',
        resourceType: 'ServiceRequest',
      });
      const { orders, warnings } = await placeOrders(
        deps,
        principal,
        phi,
        params.patientId,
        [
          {
            item,
            priority: body.priority,
            reason: body.reason,
            note: body.note,
            occurrenceDateTime: body.occurrenceDateTime,
            contrast: body.contrast,
          },
        ],
        { encounterId: body.encounterId, source: 'single' },
      );
      return { order: orders[0], warnings };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/order-sets/:setId',
      summary: 'Place every order of an order set',
      tags,
      auth: 'order:place',
      params: OrderSetParams,
      body: OrderSetBody,
      response: PlaceOrderSetResult,
      successStatus: 201,
    },
    async ({ req, res, params, body, principal }) => {
      const set = orderSet(params.setId);
      if (!set) throw notFound('OrderSet', params.setId);
      const { items, unknownExcludes } = expandOrderSet(set, { exclude: body.exclude, priority: body.priority });
      if (unknownExcludes.length)
        throw badRequest('exclude names codes that are not in this order set', [
          { field: 'body.exclude', message: unknownExcludes.join(', ') },
        ]);
      if (!items.length)
        throw badRequest('Nothing left to order', [
          { field: 'body.exclude', message: 'excludes every item of the set' },
        ]);
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'order.place-set',
        resourceType: 'ServiceRequest',
      });
      const requisition = randomUUID();
      const { orders, warnings } = await placeOrders(
        deps,
        principal,
        phi,
        params.patientId,
        items.map((i) => ({ item: i.item, priority: i.priority, reason: body.reason })),
        { encounterId: body.encounterId, requisition, source: `order-set:${set.id}` },
      );
      return { orderSetId: set.id, requisition, orders, warnings };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/orders',
      summary: 'Orders of a patient with their status',
      tags,
      auth: 'order:view',
      params: PatientRouteParams,
      query: OrdersQuery,
      response: OrderList,
    },
    async ({ req, res, params, query, principal }) => {
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'order.list',
        resourceType: 'ServiceRequest',
      });
      const [, items] = await Promise.all([
        readOr404(deps, 'Patient', params.patientId),
        deps.fhir.searchResources('ServiceRequest', {
          subject: `Patient/${params.patientId}`,
          ...(query.status !== 'all' ? { status: query.status } : {}),
          ...(query.type ? { category: `${CATEGORY[query.type].system}|${CATEGORY[query.type].code}` } : {}),
          _sort: '-authored',
          _count: query._count,
        }),
      ]);
      phi.note({ count: items.length, status: query.status });
      return {
        total: items.length,
        items: items.map((sr) => ({
          id: sr.id,
          type: orderTypeOf(sr),
          status: sr.status,
          priority: sr.priority,
          code: sr.code?.coding?.[0],
          authoredOn: sr.authoredOn,
          requester: sr.requester?.reference,
          serviceRequest: sr,
        })),
      };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/orders/:id',
      summary: 'One order',
      tags,
      auth: 'order:view',
      params: OrderIdParams,
      response: OrderDetail,
    },
    async ({ req, res, params, principal }) => {
      const sr = await readOr404(deps, 'ServiceRequest', params.id);
      const patientId = idFromReference(sr.subject.reference, 'Patient');
      if (!patientId) throw notFound('ServiceRequest', params.id);
      await requirePatientAccess(deps, { req, res, principal }, patientId, {
        action: 'order.read',
        resourceType: 'ServiceRequest',
        resourceId: sr.id,
      });
      return sr;
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/orders/:id/cancel',
      summary: 'Cancel an order with a reason',
      tags,
      auth: 'order:cancel',
      params: OrderIdParams,
      body: CancelOrderBody,
      response: CancelOrderResult,
    },
    async ({ req, res, params, body, principal }) => {
      const sr = await readOr404(deps, 'ServiceRequest', params.id);
      const patientId = idFromReference(sr.subject.reference, 'Patient');
      if (!patientId) {
        auditRequest(deps.audit, req, res, {
          action: 'order.cancel',
          outcome: 'failure',
          resourceType: 'ServiceRequest',
          resourceId: sr.id,
        });
        throw conflict('Order has no patient', undefined, 'INVALID_STATE');
      }
      const phi = await requirePatientAccess(deps, { req, res, principal }, patientId, {
        action: 'order.cancel',
        resourceType: 'ServiceRequest',
        resourceId: sr.id,
      });
      if (!CANCELLABLE.has(sr.status))
        throw conflict(
          `Order is ${sr.status}; only active, on-hold or draft orders can be cancelled`,
          { status: sr.status },
          'INVALID_STATE',
        );
      const by = requesterOf(principal);
      const version = body.ifMatch ?? req.get('if-match')?.match(/(\d+)/)?.[1] ?? sr.meta?.versionId;
      const updated = await deps.fhir.update(revoked(sr, { reason: body.reason, by, now: new Date() }), {
        ifMatch: version,
      });
      phi.note({ version: updated.meta?.versionId });
      await publishQuietly(deps, {
        type: 'orders.cancelled',
        patientId,
        resourceType: 'ServiceRequest',
        resourceId: sr.id,
        actorUserId: principal.userId,
        data: { code: sr.code?.coding?.[0]?.code ?? null },
      });
      return { id: updated.id, status: updated.status, order: updated };
    },
  );

  return r;
}
