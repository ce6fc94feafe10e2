import { Router } from 'express';
import { queryAudit, verifyAuditTrail } from '../../core/audit/audit-repository';
import { AuditPage, AuditQuery, AuditVerification } from '@wintehr/contracts';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { mount } from '../../core/http/route';

/** The admin's window on the audit trail; looking at it is itself audited. */
export function auditRouter(deps: AppDeps): Router {
  const r = Router();
  mount(
    r,
    {
      method: 'get',
      path: '/api/audit',
      summary: 'Query the audit trail (newest first, keyset paged)',
      tags: ['audit'],
      auth: 'audit:view',
      query: AuditQuery,
      response: AuditPage,
    },
    async ({ req, res, query }): Promise<AuditPage> => {
      await deps.audit.flush();
      const page = await queryAudit(deps.pg, query);
      auditRequest(deps.audit, req, res, {
        action: 'audit.query',
        outcome: 'success',
        ...(query.patient ? { patientId: query.patient } : {}),
        details: {
          filters: Object.keys(query).filter((k) => k !== 'limit' && k !== 'cursor'),
          count: page.records.length,
        },
      });
      return page;
    },
  );
  mount(
    r,
    {
      method: 'get',
      path: '/api/audit/verify',
      summary: 'Verify the hash chain of the whole audit trail',
      tags: ['audit'],
      auth: 'audit:view',
      response: AuditVerification,
    },
    async ({ req, res }): Promise<AuditVerification> => {
      await deps.audit.flush();
      const result = await verifyAuditTrail(deps.pg);
      auditRequest(deps.audit, req, res, { action: 'audit.verify', outcome: 'success', details: { ok: result.ok } });
      return result;
    },
  );
  return r;
}
