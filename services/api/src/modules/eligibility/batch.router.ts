import { Router } from 'express';
import { EligibilityBatchBody, EligibilityBatchRun, EligibilityBatchRunList } from '@wintehr/contracts';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { mount } from '../../core/http/route';
import { dayAfter } from '../schedule/day';
import { lastRuns, runEligibilityBatch } from './batch.service';

/**
 * Administration of the nightly eligibility batch: run it now for a day (default tomorrow) and read the last runs.
 * `system:config` (admins): it touches every scheduled patient, so it is an operations task, not a clinical one.
 */
export function eligibilityBatchRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['eligibility'];
  const timeZone = deps.config.clinical.timeZone;
  const cfg = deps.config.eligibility.batch;

  mount(
    r,
    {
      method: 'post',
      path: '/api/eligibility/batch-runs',
      summary: "Run the eligibility batch now for one day's booked appointments (default tomorrow); answers the run",
      tags,
      auth: 'system:config',
      body: EligibilityBatchBody,
      response: EligibilityBatchRun,
      successStatus: 201,
    },
    async (ctx) => {
      const serviceDate = ctx.body?.date ?? dayAfter(new Date(), timeZone);
      const run = await runEligibilityBatch(deps, {
        serviceDate,
        timeZone,
        trigger: 'manual',
        concurrency: cfg.concurrency,
      });
      auditRequest(deps.audit, ctx.req, ctx.res, {
        action: 'eligibility.batch.run',
        outcome: run.status === 'done' ? 'success' : 'failure',
        details: { runId: run.id, serviceDate, counts: run.counts },
      });
      return run;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/eligibility/batch-runs',
      summary: 'The last eligibility batch runs with their counts by outcome',
      tags,
      auth: 'system:config',
      response: EligibilityBatchRunList,
    },
    async () => ({ runs: await lastRuns(deps) }),
  );
  return r;
}
