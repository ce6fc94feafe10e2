import type { ImagingReportBody } from '@wintehr/contracts';

const V2_0074 = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const LOINC = 'http://loinc.org';

/**
 * A radiology report on one study (DiagnosticReport, category RAD, LOINC 18748-4), written preliminary by the
 * radiologist who is its performer and results interpreter; findings travel as a text/plain presentedForm.
 */
export function buildRadiologyReport(
  study: fhir4.ImagingStudy,
  body: ImagingReportBody,
  interpreter: fhir4.Reference,
  now: Date,
): fhir4.DiagnosticReport {
  return {
    resourceType: 'DiagnosticReport',
    status: 'preliminary',
    category: [{ coding: [{ system: V2_0074, code: 'RAD', display: 'Radiology' }] }],
    code: {
      coding: [{ system: LOINC, code: '18748-4', display: 'Diagnostic imaging study' }],
      text: study.description ?? 'Imaging report',
    },
    subject: study.subject,
    ...(study.basedOn ? { basedOn: study.basedOn } : {}),
    effectiveDateTime: study.started ?? now.toISOString(),
    imagingStudy: [{ reference: `ImagingStudy/${study.id}` }],
    performer: [interpreter],
    resultsInterpreter: [interpreter],
    conclusion: body.conclusion,
    ...(body.findings
      ? {
          presentedForm: [
            {
              contentType: 'text/plain; charset=utf-8',
              title: 'Findings',
              data: Buffer.from(body.findings, 'utf8').toString('base64'),
            },
          ],
        }
      : {}),
  };
}

/** Signing makes the report final and issued; only a preliminary report by the same interpreter can be signed. */
export function signRadiologyReport(
  report: fhir4.DiagnosticReport,
  signer: fhir4.Reference,
  now: Date,
): { ok: true; report: fhir4.DiagnosticReport } | { ok: false; reason: 'NOT_PRELIMINARY' | 'NOT_INTERPRETER' } {
  if (report.status !== 'preliminary') return { ok: false, reason: 'NOT_PRELIMINARY' };
  if (!report.resultsInterpreter?.some((r) => r.reference === signer.reference))
    return { ok: false, reason: 'NOT_INTERPRETER' };
  return { ok: true, report: { ...report, status: 'final', issued: now.toISOString() } };
}

export const isRadiologyReport = (r: fhir4.DiagnosticReport): boolean =>
  !!r.category?.some((c) => c.coding?.some((x) => x.system === V2_0074 && x.code === 'RAD'));

/** How a chart's radiology reports are searched (add `subject`): newest first, so the first match is the newest. */
export const RAD_REPORT_SEARCH = { category: 'RAD', _sort: '-_lastUpdated', _count: 200 } as const;

/**
 * The report to show for a study: the first of `reports` (callers pass them newest first) that names the study in
 * its imagingStudy. One definition for the chart's list, the single study and the worklist.
 */
export function reportOfStudy(
  study: Pick<fhir4.ImagingStudy, 'id'>,
  reports: readonly fhir4.DiagnosticReport[],
): fhir4.DiagnosticReport | undefined {
  const ref = `ImagingStudy/${study.id}`;
  return reports.find((r) => r.imagingStudy?.some((x) => x.reference === ref));
}
