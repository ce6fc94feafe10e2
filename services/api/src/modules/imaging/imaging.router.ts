import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import {
  ImagingPatientParams,
  ImagingReportBody,
  ImagingReportParams,
  ImagingReportResult,
  ImagingShareBody,
  ImagingShareParams,
  ImagingShareResult,
  ImagingSharedStudy,
  ImagingStudyList,
  ImagingStudyParams,
  ImagingStudySummary,
  ImagingUploadFields,
  ImagingUploadResult,
  ImagingWorklist,
  ImagingWorklistQuery,
} from '@wintehr/contracts';
import { z } from 'zod';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { AppError, badRequest, forbidden, notFound } from '../../core/errors';
import { readOr404 } from '../../core/fhir/fhir-kit';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { mount, zodDetails } from '../../core/http/route';
import { patientOfStudy, summarizeStudy } from './imaging-study';
import { listStudies, studyByUid, uploadStudy, type ImagingDeps } from './imaging.service';
import {
  buildRadiologyReport,
  isRadiologyReport,
  RAD_REPORT_SEARCH,
  reportOfStudy,
  signRadiologyReport,
} from './radiology-report';
import { createShare, findShare, revokeShare, shareByToken, shareRefusal } from './shares';
import { readUpload } from './upload-parts';
import { loadWorklist } from './worklist.service';

const SharedTokenParams = z.object({ token: z.string().min(1).max(100) }).strict();

/** Practitioner reference of the signed-in clinician (reports and signatures need one). */
function practitionerOf(p: { practitionerId?: string; username: string }): fhir4.Reference {
  if (!p.practitionerId)
    throw forbidden('Your account is not linked to a Practitioner, so it cannot write reports', {
      reason: 'NO_PRACTITIONER',
    });
  return { reference: `Practitioner/${p.practitionerId}`, display: p.username };
}

/** The ImagingStudy of a UID in this chart, or 404 (also when the UID belongs to another chart: no oracle). */
async function studyInChart(deps: Pick<AppDeps, 'fhir'>, patientId: string, uid: string): Promise<fhir4.ImagingStudy> {
  const study = await studyByUid(deps, uid);
  if (!study || patientOfStudy(study) !== patientId) throw notFound('ImagingStudy', uid);
  return study;
}

/** Imaging (issue 19): upload into the PACS, the chart's study list, radiology reports, export and share links. */
export function imagingRouter(deps: AppDeps & ImagingDeps): Router {
  const r = Router();
  const tags = ['imaging'];

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/imaging/studies',
      summary: "The chart's imaging studies, newest first, with their radiology reports",
      tags,
      auth: 'imaging:view',
      params: ImagingPatientParams,
      response: ImagingStudyList,
    },
    async ({ req, res, params, principal }): Promise<ImagingStudyList> => {
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'imaging.studies.list',
        resourceType: 'ImagingStudy',
      });
      const studies = await listStudies(deps, params.patientId);
      phi.note({ count: studies.length });
      return { studies };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/imaging/studies',
      summary: 'Upload one DICOM study (multipart: files, or a zip; fields relabel, serviceRequestId)',
      tags,
      auth: 'imaging:upload',
      params: ImagingPatientParams,
      response: ImagingUploadResult,
      successStatus: 201,
    },
    async ({ req, res, params, principal }): Promise<ImagingUploadResult> => {
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'imaging.upload',
        resourceType: 'ImagingStudy',
      });
      const parts = await readUpload(req, deps.config.imaging.maxUploadBytes);
      const fields = ImagingUploadFields.safeParse(parts.fields);
      if (!fields.success) throw badRequest('Invalid upload fields', zodDetails(fields.error, 'fields'));
      const started = performance.now();
      const result = await uploadStudy(deps, {
        patientId: params.patientId,
        files: parts.files,
        relabel: fields.data.relabel === 'true',
        serviceRequestId: fields.data.serviceRequestId,
      });
      phi.setResource('ImagingStudy', result.imagingStudy.id);
      phi.note({
        studyUid: result.study.studyUid,
        files: parts.files.length,
        stored: result.stored,
        relabelled: result.relabelled,
        ms: Math.round(performance.now() - started),
      });
      return result;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/imaging/studies/:studyUid',
      summary: 'One study of the chart',
      tags,
      auth: 'imaging:view',
      params: ImagingStudyParams,
      response: ImagingStudySummary,
    },
    async ({ req, res, params, principal }): Promise<ImagingStudySummary> => {
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'imaging.study.read',
        resourceType: 'ImagingStudy',
      });
      const study = await studyInChart(deps, params.patientId, params.studyUid);
      phi.setResource('ImagingStudy', study.id);
      const reports = await deps.fhir.searchResources('DiagnosticReport', {
        ...RAD_REPORT_SEARCH,
        subject: `Patient/${params.patientId}`,
      });
      return summarizeStudy(study, reportOfStudy(study, reports));
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/imaging/studies/:studyUid/reports',
      summary: 'Write a preliminary radiology report (DiagnosticReport, category RAD) on a study',
      tags,
      auth: 'imaging:report',
      params: ImagingStudyParams,
      body: ImagingReportBody,
      response: ImagingReportResult,
      successStatus: 201,
    },
    async ({ req, res, params, body, principal }): Promise<ImagingReportResult> => {
      const interpreter = practitionerOf(principal);
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'imaging.report.create',
        resourceType: 'DiagnosticReport',
      });
      const study = await studyInChart(deps, params.patientId, params.studyUid);
      const report = await deps.fhir.create(buildRadiologyReport(study, body, interpreter, new Date()));
      phi.setResource('DiagnosticReport', report.id);
      phi.note({ studyUid: params.studyUid });
      return { report };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/imaging/reports/:reportId/sign',
      summary: 'Sign a preliminary radiology report (final, issued now); only its interpreter may',
      tags,
      auth: 'imaging:report',
      params: ImagingReportParams,
      response: ImagingReportResult,
    },
    async ({ req, res, params, principal }): Promise<ImagingReportResult> => {
      const signer = practitionerOf(principal);
      const current = await readOr404(deps, 'DiagnosticReport', params.reportId);
      const patientId = /^Patient\/(.+)$/.exec(current.subject?.reference ?? '')?.[1];
      if (!patientId || !isRadiologyReport(current)) throw notFound('DiagnosticReport', params.reportId);
      const phi = await requirePatientAccess(deps, { req, res, principal }, patientId, {
        action: 'imaging.report.sign',
        resourceType: 'DiagnosticReport',
        resourceId: params.reportId,
      });
      const signed = signRadiologyReport(current, signer, new Date());
      if (!signed.ok) {
        phi.note({ refused: signed.reason });
        if (signed.reason === 'NOT_INTERPRETER')
          throw new AppError(403, 'NOT_REPORT_INTERPRETER', 'Only the interpreting radiologist signs this report');
        throw new AppError(409, 'REPORT_NOT_PRELIMINARY', `The report is ${current.status}, not preliminary`);
      }
      const report = await deps.fhir.update(signed.report, { ifMatch: current.meta?.versionId });
      return { report };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/imaging/worklist',
      summary: 'The reading worklist: recent studies without a final report (or all), most urgent then oldest first',
      tags,
      auth: 'imaging:report',
      query: ImagingWorklistQuery,
      response: ImagingWorklist,
    },
    async ({ req, res, query }): Promise<ImagingWorklist> => {
      const list = await loadWorklist(deps, query.status);
      // One disclosure record per patient shown (ids only), so a patient's access report lists the reading room.
      for (const pid of new Set(list.items.map((i) => i.patient.id))) {
        auditRequest(deps.audit, req, res, {
          action: 'imaging.worklist.view',
          outcome: 'success',
          patientId: pid,
          resourceType: 'ImagingStudy',
          purposeOfUse: 'TREAT',
          details: { filter: query.status, studies: list.items.filter((i) => i.patient.id === pid).map((i) => i.id) },
        });
      }
      return list;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/imaging/studies/:studyUid/export',
      summary: 'The study as a zip of DICOM files (streamed from the PACS)',
      tags,
      auth: 'imaging:share',
      params: ImagingStudyParams,
    },
    async ({ req, res, params, principal }) => {
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'imaging.export',
        resourceType: 'ImagingStudy',
      });
      const study = await studyInChart(deps, params.patientId, params.studyUid);
      phi.setResource('ImagingStudy', study.id);
      phi.note({ studyUid: params.studyUid });
      const orthancId = await deps.orthanc.findStudy(params.studyUid);
      if (!orthancId) throw notFound('ImagingStudy', params.studyUid);
      const zip = await deps.orthanc.studyArchive(orthancId);
      if (zip.status !== 200) {
        zip.body.resume();
        throw new AppError(502, 'PACS_EXPORT_FAILED', `The PACS could not build the archive (${zip.status})`);
      }
      res.status(200);
      res.setHeader('content-type', 'application/zip');
      res.setHeader('content-disposition', `attachment; filename="study-${study.id}.zip"`);
      await pipeline(zip.body, res);
      return undefined;
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/imaging/studies/:studyUid/shares',
      summary: 'A time-limited, revocable read-only link to the study (24 h by default)',
      tags,
      auth: 'imaging:share',
      params: ImagingStudyParams,
      body: ImagingShareBody,
      response: ImagingShareResult,
      successStatus: 201,
    },
    async ({ req, res, params, body, principal }): Promise<ImagingShareResult> => {
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'imaging.share.create',
        resourceType: 'ImagingStudy',
      });
      const study = await studyInChart(deps, params.patientId, params.studyUid);
      phi.setResource('ImagingStudy', study.id);
      const share = await createShare(deps.pg, {
        studyUid: params.studyUid,
        patientId: params.patientId,
        userId: principal.userId,
        hours: body.hours ?? deps.config.imaging.shareTtlHours,
      });
      phi.note({ studyUid: params.studyUid, shareId: share.id });
      return {
        id: share.id,
        token: share.token,
        url: `/imaging/shared/${share.token}`,
        expiresAt: share.expiresAt.toISOString(),
      };
    },
  );

  mount(
    r,
    {
      method: 'delete',
      path: '/api/imaging/shares/:shareId',
      summary: 'Revoke a share link',
      tags,
      auth: 'imaging:share',
      params: ImagingShareParams,
    },
    async ({ req, res, params, principal }) => {
      const share = await findShare(deps.pg, params.shareId);
      if (!share) throw notFound('ImagingShare', params.shareId);
      const phi = await requirePatientAccess(deps, { req, res, principal }, share.patient_id, {
        action: 'imaging.share.revoke',
        resourceType: 'ImagingStudy',
      });
      phi.note({ shareId: share.id, studyUid: share.study_uid });
      await revokeShare(deps.pg, share.id, principal.userId);
      return undefined;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/imaging/shared/:token',
      summary: 'What a share link opens: its study, read-only (pixel data through /dicomweb with X-Imaging-Share)',
      tags,
      auth: 'public',
      params: SharedTokenParams,
      response: ImagingSharedStudy,
    },
    async ({ req, res, params }): Promise<ImagingSharedStudy> => {
      const share = await shareByToken(deps.pg, params.token);
      const refusal = shareRefusal(share);
      if (!share || refusal) {
        auditRequest(deps.audit, req, res, {
          action: 'imaging.share.use',
          outcome: 'denied',
          ...(share ? { patientId: share.patient_id } : {}),
          details: { refusal, ...(share ? { shareId: share.id, studyUid: share.study_uid } : {}) },
        });
        throw notFound('ImagingShare', 'link');
      }
      const study = await studyByUid(deps, share.study_uid);
      if (!study || patientOfStudy(study) !== share.patient_id) throw notFound('ImagingShare', 'link');
      auditRequest(deps.audit, req, res, {
        action: 'imaging.share.use',
        outcome: 'success',
        patientId: share.patient_id,
        resourceType: 'ImagingStudy',
        resourceId: study.id,
        details: { shareId: share.id, studyUid: share.study_uid },
      });
      return {
        study: summarizeStudy(study),
        expiresAt: share.expires_at.toISOString(),
        dicomwebRoot: `${deps.config.publicBaseUrl}/dicomweb`,
      };
    },
  );

  return r;
}
