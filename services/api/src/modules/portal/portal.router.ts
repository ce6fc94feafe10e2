import { Router, type Request, type Response } from 'express';
import {
  PatientEverything,
  PortalAccessLog,
  PortalAccessLogQuery,
  PortalRecord,
  PortalResults,
} from '@wintehr/contracts';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { readOr404 } from '../../core/fhir/fhir-kit';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { accessLog } from './access-log';
import { holdsRepository } from '../results/holds.repository';
import { enterPortalSubject } from '../proxy-access/portal-subject';
import { portalRecord } from './portal-record';
import { recordForTier } from './record-tier';
import { portalResults } from './portal-results';
import { recordBundle } from './record-export';
import { patientRelease } from '../results/patient-release';
import { releasedDocument } from '../results/release-document';
import { maskPatientSsn } from '../patients/ssn';

/** Reports the results page reads at most (newest first): years of an ordinary patient's labs. */
const RESULT_REPORTS = 200;

/**
 * The patient portal's reads (issue 16), for the patient or someone they act for (proxy-access/portal-subject.ts): the record, released results, who opened the chart, and the download.
 * Messages, refills (in-basket module) and insurance (eligibility module) live with the workflows they feed.
 */
export function portalRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['portal'];

  /**
   * The common start of a record download: whose record (self or a proxy's subject, tier permitting), the audited
   * access check, the patient must exist, and the answer as a FHIR JSON file. attachment() sets the type from the
   * file name, so the FHIR media type comes after it.
   */
  const startDownload = async (
    ctx: { req: Request; res: Response; principal: Principal },
    action: string,
    filename: string,
  ) => {
    const { patientId } = await enterPortalSubject(deps, ctx, 'download');
    const phi = await requirePatientAccess(deps, ctx, patientId, {
      action,
      resourceType: 'Patient',
      resourceId: patientId,
    });
    await readOr404(deps, 'Patient', patientId);
    ctx.res.attachment(filename);
    ctx.res.type('application/fhir+json');
    return { patientId, phi };
  };

  mount(
    r,
    {
      method: 'get',
      path: '/api/portal/record',
      summary: 'My record: problems, medications, allergies, immunizations, latest vitals, visits and signed notes',
      tags,
      auth: 'patient:read',
      response: PortalRecord,
    },
    async (ctx) => {
      const { patientId, tier } = await enterPortalSubject(deps, ctx, 'record');
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'portal.record.read',
        resourceType: 'Patient',
        resourceId: patientId,
      });
      const record = recordForTier(await portalRecord(deps, patientId), tier);
      phi.note({
        problems: record.problems.length,
        medications: record.medications.length,
        notes: record.notes.length,
      });
      return record;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/portal/results',
      summary: 'My results: final reports not held back, with plain-language ranges and trends',
      tags,
      auth: 'results:view',
      response: PortalResults,
    },
    async (ctx) => {
      const { patientId } = await enterPortalSubject(deps, ctx, 'results');
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'portal.results.read',
        resourceType: 'DiagnosticReport',
      });
      const [patient, bundle, held] = await Promise.all([
        readOr404(deps, 'Patient', patientId),
        deps.fhir.search('DiagnosticReport', {
          subject: `Patient/${patientId}`,
          status: 'final,amended,corrected',
          _include: 'DiagnosticReport:result',
          _sort: '-date',
          _count: RESULT_REPORTS,
        }),
        holdsRepository.heldReportIds(deps.pg, patientId),
      ]);
      // Observations arrive as includes, so the entries are read as any resource.
      const entries = ((bundle.entry ?? []) as fhir4.BundleEntry[])
        .map((e) => e.resource)
        .filter((x): x is fhir4.FhirResource => !!x);
      const results = portalResults(entries, held, patient.gender);
      phi.note({ count: results.length, held: held.size });
      return { results };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/portal/access-log',
      summary: 'Who opened my chart: accesses by others from the audit trail, newest first, paged',
      tags,
      auth: 'patient:read',
      query: PortalAccessLogQuery,
      response: PortalAccessLog,
    },
    async (ctx) => {
      const { patientId } = await enterPortalSubject(deps, ctx, 'access-log');
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'portal.access-log.read',
        resourceType: 'AuditEvent',
      });
      const page = await accessLog(deps.pg, patientId, ctx.principal.userId, ctx.query);
      phi.note({ count: page.entries.length });
      return page;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/portal/download/fhir',
      summary: 'My record as a FHIR Bundle (Patient/$everything, results not released left out)',
      tags,
      auth: 'patient:read',
      response: PatientEverything,
    },
    async (ctx) => {
      const { patientId, phi } = await startDownload(ctx, 'portal.download.fhir', 'my-health-record.json');
      const bundle = await recordBundle(deps, patientId, await holdsRepository.heldReportIds(deps.pg, patientId));
      phi.note({ entries: bundle.entry?.length ?? 0 });
      return bundle;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/portal/download/ips',
      summary:
        'My International Patient Summary (HAPI Patient/$summary: a document Bundle), results not released left out',
      tags,
      auth: 'patient:read',
      response: PatientEverything,
    },
    async (ctx) => {
      const { patientId, phi } = await startDownload(ctx, 'portal.download.ips', 'my-patient-summary.json');
      // HAPI builds the summary from everything it holds; the release rule takes out held and preliminary results.
      const [summary, release] = await Promise.all([
        deps.fhir.operation<fhir4.Bundle>(`Patient/${encodeURIComponent(patientId)}/$summary`),
        patientRelease(deps, patientId),
      ]);
      const { bundle, withheld } = releasedDocument(summary, release);
      const entry = (bundle.entry ?? []).map((e) =>
        e.resource?.resourceType === 'Patient' ? { ...e, resource: maskPatientSsn(e.resource) } : e,
      );
      phi.note({ entries: entry.length, withheld });
      return { ...bundle, entry };
    },
  );

  return r;
}
