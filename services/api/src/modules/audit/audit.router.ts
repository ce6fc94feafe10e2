import { Router } from 'express';
import { z } from 'zod';
import { queryAudit, verifyAuditTrail, MAX_AUDIT_PAGE } from '../../core/audit/audit-repository';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { mount } from '../../core/http/route';

const AuditQuery = z.object({
  patient: z.string().max(64).optional(),
  user: z.string().max(64).optional(),
  action: z.string().regex(/^[a-z0-9.\-*]{1,64}$/, 'an action such as patient.read').optional(),
  outcome: z.enum(['success', 'denied', 'failure']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(50),
  cursor: z.string().regex(/^\d{1,20}$/).optional(),
}).strict();

/** The admin's window on the audit trail; looking at it is itself audited. */
export function auditRouter(deps: AppDeps): Router {
  const r = Router();
  mount(r, { method: 'get', path: '/api/audit', summary: 'Query the audit trail (newest first, keyset paged)', tags: ['audit'], auth: 'audit:view', query: AuditQuery },
    async ({ req, res, query }) => {
      await deps.audit.flush();
      const page = await queryAudit(deps.pg, query);
      auditRequest(deps.audit, req, res, { action: 'audit.query', outcome: 'success', ...(query.patient ? { patientId: query.patient } : {}), details: { filters: Object.keys(query).filter((k) => k !== 'limit' && k !== 'cursor'), count: page.records.length } });
      return page;
    });
  mount(r, { method: 'get', path: '/api/audit/verify', summary: 'Verify the hash chain of the whole audit trail', tags: ['audit'], auth: 'audit:view' },
    async ({ req, res }) => {
      await deps.audit.flush();
      const result = await verifyAuditTrail(deps.pg);
      auditRequest(deps.audit, req, res, { action: 'audit.verify', outcome: 'success', details: { ok: result.ok } });
      return result;
    });
  return r;
}
