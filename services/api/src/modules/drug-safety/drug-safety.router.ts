import { Router } from 'express';
import { CheckInteractionsBody, DrugSearchQuery, DrugSearchResult, InteractionCheckResult } from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { mount } from '../../core/http/route';
import { checkInteractions } from './drug-safety.service';
import { loadPatientSafetyContext } from './patient-safety-context';
import { searchDrugs } from './search';
import { sharedDrugKnowledgeBase } from './shared-kb';

/** Drug search and interaction screening over the shipped knowledge base (issue 6 §1). */
export function drugSafetyRouter(deps: AppDeps): Router {
  const router = Router();
  const kb = sharedDrugKnowledgeBase();

  mount(
    router,
    {
      method: 'get',
      path: '/api/drugs',
      summary: 'Search drugs by name, brand or generic (ranked, prefix match)',
      tags: ['drug-safety'],
      auth: 'medication:view',
      query: DrugSearchQuery,
      response: DrugSearchResult,
    },
    ({ query }): DrugSearchResult => {
      const hits = searchDrugs(kb, query.q, query.limit);
      return { query: query.q, count: hits.length, results: hits };
    },
  );

  mount(
    router,
    {
      method: 'post',
      path: '/api/medications/check-interactions',
      tags: ['drug-safety'],
      summary: "Screen RxNorm codes against each other, or against a patient's chart when patientId is given",
      auth: 'medication:view',
      body: CheckInteractionsBody,
      response: InteractionCheckResult,
    },
    async (ctx) => {
      const { patientId, medicationCodes } = ctx.body;
      if (!patientId) return checkInteractions(kb, medicationCodes);
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'medication.check-interactions',
        resourceType: 'Patient',
        resourceId: patientId,
      });
      const chart = await loadPatientSafetyContext(deps.fhir, patientId);
      const result = checkInteractions(kb, medicationCodes, chart, patientId);
      phi.note({
        proposed: medicationCodes.length,
        active: chart.active.length,
        allergies: chart.allergies.length,
        findings: result.findings.length,
      });
      return result;
    },
  );

  return router;
}
