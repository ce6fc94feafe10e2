import { Router } from 'express';
import { EligibilityCheckBody, EligibilityResult, PatientParams, PortalCoverage } from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import { enterPortalSubject } from '../proxy-access/portal-subject';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { checkEligibility } from './eligibility.service';
import { forbidden } from '../../core/errors';
import { portalCoverage } from './portal';

/**
 * Real-time insurance eligibility (issue 17): check a patient's Coverage with the payer through the clearinghouse.
 * Held by the roles that register patients (physician, nurse, admin); the patient access check and the audit
 * record (action eligibility.check, ids only) are the ones every chart route has.
 */
export function eligibilityRouter(deps: AppDeps): Router {
  const r = Router();
  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/eligibility',
      summary: 'Check insurance eligibility and benefits with the payer (X12 270/271)',
      tags: ['eligibility'],
      auth: 'patient:register',
      params: PatientParams,
      body: EligibilityCheckBody,
      response: EligibilityResult,
    },
    async (ctx) => {
      const { patientId } = ctx.params;
      const g = await requirePatientAccess(deps, ctx, patientId, {
        action: 'eligibility.check',
        resourceType: 'CoverageEligibilityRequest',
      });
      try {
        const { result, audit } = await checkEligibility(deps, {
          patientId,
          practitionerId: ctx.principal.practitionerId,
          body: ctx.body ?? {},
        });
        g.setResource('CoverageEligibilityResponse', result.responseId);
        g.note({ ...audit, eligibility: result.status });
        return result;
      } catch (e) {
        const audit = (e as { audit?: Record<string, unknown> }).audit;
        if (audit) g.note(audit);
        if (e instanceof Error && 'code' in e) g.note({ error: (e as { code: string }).code });
        throw e;
      }
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/portal/coverage',
      summary: "The signed-in patient's own insurance and the payer's latest answer, in plain language",
      tags: ['eligibility', 'portal'],
      auth: 'patient:read',
      response: PortalCoverage,
    },
    async (ctx) => {
      await enterPortalSubject(deps, ctx, 'coverage');
      const patientId = ctx.principal.role === 'patient' ? ctx.principal.patientId : undefined;
      if (!patientId) throw forbidden('The coverage page is the patient portal: staff read coverage in the chart');
      const g = await requirePatientAccess(deps, ctx, patientId, { action: 'coverage.read', resourceType: 'Coverage' });
      const view = await portalCoverage(deps, patientId);
      g.note({ count: view.coverages.length });
      return view;
    },
  );
  return r;
}
