import { Router } from 'express';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { mount } from '../../core/http/route';
import { inventoryRepository } from './inventory.repository';
import { controlledReport, inventoryAlerts, inventoryOf, productOrBadRequest, receiveStock } from './inventory.service';
import { pharmacistOf } from './pharmacist';
import { lookupDrugs } from './pharmacist-view';
import { sharedDrugKnowledgeBase as drugKb } from '../drug-safety/shared-kb';
import {
  AlertsQuery,
  CsReport,
  CsReportQuery,
  Inventory,
  InventoryAlerts,
  InventoryQuery,
  NdcParams,
  PharmacyDrugQuery,
  PharmacyDrugSearch,
  ReceiptBody,
  ReceiptResult,
  ThresholdBody,
  ThresholdResult,
} from '@wintehr/contracts';
import { isoDay } from './stock-rules';

/** Pharmacy inventory (no PHI): stock by NDC/lot/expiry, receipts, thresholds, alerts, the controlled-substance report. */
export function pharmacyInventoryRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['pharmacy'];

  mount(
    r,
    {
      method: 'get',
      path: '/api/pharmacy/drugs',
      summary: 'NDC look-up / drug search for receiving stock (products with known package NDCs)',
      tags,
      auth: 'medication:dispense',
      query: PharmacyDrugQuery,
      response: PharmacyDrugSearch,
    },
    // Knowledge-base data only (no patient, no stock): nothing to audit.
    async ({ query }): Promise<PharmacyDrugSearch> => ({ query: query.q, ...lookupDrugs(drugKb(), query.q) }),
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/pharmacy/inventory/receipts',
      summary: 'Receive stock (lot, expiry, quantity); controlled substances are logged',
      tags,
      auth: 'medication:dispense',
      body: ReceiptBody,
      response: ReceiptResult,
      successStatus: 201,
    },
    async ({ req, res, body, principal }): Promise<ReceiptResult> => {
      const ph = await pharmacistOf(deps, principal);
      const out = await receiveStock(deps, ph, body);
      auditRequest(deps.audit, req, res, {
        action: 'pharmacy.inventory.receive',
        outcome: 'success',
        resourceType: 'InventoryLot',
        resourceId: out.lot.id,
        details: {
          pharmacyOrgId: ph.orgId,
          ndc: out.lot.ndc,
          quantity: body.quantity,
          receiptId: out.receiptId,
          ...(out.controlled ? { deaSchedule: out.controlled.schedule } : {}),
        },
      });
      return out;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/pharmacy/inventory',
      summary: 'Stock on hand per NDC with its lots',
      tags,
      auth: 'medication:dispense',
      query: InventoryQuery,
      response: Inventory,
    },
    async ({ query, principal }): Promise<Inventory> => {
      const ph = await pharmacistOf(deps, principal);
      const ndc = query.ndc ? productOrBadRequest(query.ndc, 'query.ndc').ndc : undefined;
      const items = await inventoryOf(deps, ph, { ...(ndc ? { ndc } : {}), includeEmpty: query.includeEmpty });
      return { pharmacyOrgId: ph.orgId, asOf: isoDay(new Date()), items };
    },
  );

  mount(
    r,
    {
      method: 'put',
      path: '/api/pharmacy/inventory/:ndc/threshold',
      summary: 'Set the low-stock threshold of an NDC',
      tags,
      auth: 'medication:dispense',
      params: NdcParams,
      body: ThresholdBody,
      response: ThresholdResult,
    },
    async ({ req, res, params, body, principal }): Promise<ThresholdResult> => {
      const ph = await pharmacistOf(deps, principal);
      const p = productOrBadRequest(params.ndc, 'params.ndc');
      await inventoryRepository.setThreshold(deps.pg, ph.orgId, p.ndc, body.lowStockThreshold);
      auditRequest(deps.audit, req, res, {
        action: 'pharmacy.inventory.threshold',
        outcome: 'success',
        details: { pharmacyOrgId: ph.orgId, ndc: p.ndc, lowStockThreshold: body.lowStockThreshold },
      });
      return { ndc: p.ndc, lowStockThreshold: body.lowStockThreshold };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/pharmacy/inventory/alerts',
      summary: 'Low-stock, expiring (within N days, default 30) and expired lots',
      tags,
      auth: 'medication:dispense',
      query: AlertsQuery,
      response: InventoryAlerts,
    },
    async ({ query, principal }): Promise<InventoryAlerts> => {
      const ph = await pharmacistOf(deps, principal);
      const now = new Date();
      const lines = await inventoryOf(deps, ph, {}, now);
      const alerts = inventoryAlerts(lines, isoDay(now), query.expiringWithinDays);
      return {
        pharmacyOrgId: ph.orgId,
        asOf: isoDay(now),
        expiringWithinDays: query.expiringWithinDays,
        count: alerts.length,
        alerts,
      };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/pharmacy/controlled-substances/report',
      summary: 'Controlled-substance perpetual inventory per drug and period',
      tags,
      auth: 'medication:dispense',
      query: CsReportQuery,
      response: CsReport,
    },
    async ({ req, res, query, principal }): Promise<CsReport> => {
      const ph = await pharmacistOf(deps, principal);
      const out = await controlledReport(deps, ph, query);
      auditRequest(deps.audit, req, res, {
        action: 'pharmacy.cs-report.read',
        outcome: 'success',
        details: { pharmacyOrgId: ph.orgId, drugs: out.drugs.length },
      });
      return { pharmacyOrgId: ph.orgId, ...out };
    },
  );

  return r;
}
