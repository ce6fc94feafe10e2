import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../core/deps';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { mount } from '../../core/http/route';
import { checkInteractions } from './drug-safety.service';
import { loadPatientSafetyContext } from './patient-safety-context';
import { searchDrugs } from './search';
import { sharedDrugKnowledgeBase } from './shared-kb';

const SearchQuery = z.object({
  q: z.string().trim().min(2, 'at least 2 characters').max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

const CheckBody = z.object({
  patientId: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'a FHIR id').optional(),
  medicationCodes: z.array(z.string().trim().regex(/^\d{1,12}$/, 'an RxNorm code (digits)')).min(1).max(50),
}).strict();

/** Drug search and interaction screening over the shipped knowledge base (issue 6 §1). */
export function drugSafetyRouter(deps: AppDeps): Router {
  const router = Router();
  const kb = sharedDrugKnowledgeBase();

  mount(router, {
    method: 'get', path: '/api/drugs', summary: 'Search drugs by name, brand or generic (ranked, prefix match)', tags: ['drug-safety'],
    auth: 'medication:view', query: SearchQuery,
  }, ({ query }) => {
    const hits = searchDrugs(kb, query.q, query.limit);
    return { query: query.q, count: hits.length, results: hits };
  });

  mount(router, {
    method: 'post', path: '/api/medications/check-interactions', tags: ['drug-safety'],
    summary: "Screen RxNorm codes against each other, or against a patient's chart when patientId is given",
    auth: 'medication:view', body: CheckBody,
  }, async (ctx) => {
    const { patientId, medicationCodes } = ctx.body;
    if (!patientId) return checkInteractions(kb, medicationCodes);
    const phi = await requirePatientAccess(deps, ctx, patientId, { action: 'medication.check-interactions', resourceType: 'Patient', resourceId: patientId });
    const chart = await loadPatientSafetyContext(deps.fhir, patientId);
    const result = checkInteractions(kb, medicationCodes, chart, patientId);
    phi.note({ proposed: medicationCodes.length, active: chart.active.length, allergies: chart.allergies.length, findings: result.findings.length });
    return result;
  });

  return router;
}
