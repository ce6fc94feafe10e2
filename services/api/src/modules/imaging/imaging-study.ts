import type { ImagingStudySummary } from '@wintehr/contracts';
import type { DicomInstance } from './dicom-file';

/** ImagingStudy.identifier for the Study Instance UID (FHIR R4 ImagingStudy notes: system urn:dicom:uid, value urn:oid:). */
export const DICOM_UID_SYSTEM = 'urn:dicom:uid';
export const studyIdentifier = (uid: string): fhir4.Identifier => ({
  system: DICOM_UID_SYSTEM,
  value: `urn:oid:${uid}`,
});
/** The HAPI search token that finds the ImagingStudy of a Study Instance UID. */
export const studyUidToken = (uid: string): string => `${DICOM_UID_SYSTEM}|urn:oid:${uid}`;

export function studyUidOf(study: fhir4.ImagingStudy): string | undefined {
  const v = study.identifier?.find((i) => i.system === DICOM_UID_SYSTEM)?.value;
  return v?.startsWith('urn:oid:') ? v.slice('urn:oid:'.length) : undefined;
}

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const SOP_CLASS = 'urn:ietf:rfc:3986';

/** DICOM DA + TM (20260101, 101500) as a FHIR dateTime without a zone (the modality's local time is not known). */
export function dicomDateTime(date?: string, time?: string): string | undefined {
  if (!date || !/^\d{8}$/.test(date)) return undefined;
  const d = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
  if (!time || !/^\d{6}/.test(time)) return d;
  return `${d}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}Z`;
}

export interface StudyLinks {
  patientId: string;
  endpointId?: string;
  serviceRequestId?: string;
}

/**
 * The ImagingStudy for a set of instances, merged into the existing resource when the study is already known (a second
 * upload adds series and instances; the same SOP Instance UID is kept once). Counts are recomputed from the result.
 */
export function buildImagingStudy(
  instances: readonly DicomInstance[],
  links: StudyLinks,
  existing?: fhir4.ImagingStudy,
): fhir4.ImagingStudy {
  const first = instances[0];
  if (!first) throw new Error('an ImagingStudy needs at least one instance');
  const series = new Map<string, fhir4.ImagingStudySeries>();
  for (const s of existing?.series ?? []) series.set(s.uid, { ...s, instance: [...(s.instance ?? [])] });
  for (const i of instances) {
    let s = series.get(i.seriesUid);
    if (!s) {
      s = {
        uid: i.seriesUid,
        modality: { system: DCM, code: i.modality },
        ...(i.seriesNumber !== undefined ? { number: i.seriesNumber } : {}),
        ...(i.seriesDescription ? { description: i.seriesDescription } : {}),
        instance: [],
      };
      series.set(i.seriesUid, s);
    }
    if (!s.instance!.some((x) => x.uid === i.sopInstanceUid))
      s.instance!.push({
        uid: i.sopInstanceUid,
        sopClass: { system: SOP_CLASS, code: `urn:oid:${i.sopClassUid}` },
        ...(i.instanceNumber !== undefined ? { number: i.instanceNumber } : {}),
      });
  }
  const allSeries = [...series.values()].map((s) => {
    const instance = [...s.instance!].sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
    return { ...s, numberOfInstances: instance.length, instance };
  });
  allSeries.sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
  const modalities = [...new Map(allSeries.map((s) => [s.modality.code, s.modality])).values()];
  const started = existing?.started ?? dicomDateTime(first.studyDate, first.studyTime);
  const basedOn =
    existing?.basedOn ??
    (links.serviceRequestId ? [{ reference: `ServiceRequest/${links.serviceRequestId}` }] : undefined);
  const description = existing?.description ?? first.studyDescription;
  return {
    ...(existing ?? {}),
    resourceType: 'ImagingStudy',
    status: 'available',
    identifier: [studyIdentifier(first.studyUid)],
    subject: { reference: `Patient/${links.patientId}` },
    ...(started ? { started } : {}),
    ...(basedOn ? { basedOn } : {}),
    ...(links.endpointId ? { endpoint: [{ reference: `Endpoint/${links.endpointId}` }] } : {}),
    ...(description ? { description } : {}),
    modality: modalities,
    numberOfSeries: allSeries.length,
    numberOfInstances: allSeries.reduce((n, s) => n + s.numberOfInstances, 0),
    series: allSeries,
  };
}

/** The façade's DICOMweb as a FHIR Endpoint (what ImagingStudy.endpoint points at). */
export function dicomwebEndpoint(publicBaseUrl: string): fhir4.Endpoint {
  return {
    resourceType: 'Endpoint',
    identifier: [{ system: 'urn:wintehr:endpoint', value: 'dicomweb' }],
    status: 'active',
    name: 'WintEHR DICOMweb (QIDO-RS / WADO-RS)',
    connectionType: {
      system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type',
      code: 'dicom-wado-rs',
    },
    payloadType: [{ text: 'DICOM' }],
    payloadMimeType: ['application/dicom'],
    address: `${publicBaseUrl}/dicomweb`,
  };
}

/** The chart's view of a study: what the Imaging tab lists. */
export function summarizeStudy(study: fhir4.ImagingStudy, report?: fhir4.DiagnosticReport): ImagingStudySummary {
  const series = (study.series ?? []).map((s) => ({
    uid: s.uid,
    modality: s.modality.code ?? 'OT',
    ...(s.number !== undefined ? { number: s.number } : {}),
    ...(s.description ? { description: s.description } : {}),
    numberOfInstances: s.numberOfInstances ?? s.instance?.length ?? 0,
  }));
  const interpreter = report?.resultsInterpreter?.[0];
  return {
    id: study.id ?? '',
    studyUid: studyUidOf(study) ?? '',
    ...(study.started ? { started: study.started } : {}),
    ...(study.description ? { description: study.description } : {}),
    modalities: [...new Set(series.map((s) => s.modality))],
    numberOfSeries: study.numberOfSeries ?? series.length,
    numberOfInstances: study.numberOfInstances ?? series.reduce((n, s) => n + s.numberOfInstances, 0),
    series,
    ...(study.basedOn?.[0]?.reference ? { basedOn: study.basedOn[0].reference } : {}),
    ...(report?.id
      ? {
          report: {
            id: report.id,
            status: report.status,
            ...(report.conclusion ? { conclusion: report.conclusion } : {}),
            ...(interpreter?.display || interpreter?.reference
              ? { interpreter: interpreter.display ?? interpreter.reference }
              : {}),
            ...(report.issued ? { issued: report.issued } : {}),
          },
        }
      : {}),
  };
}

/** The patient an ImagingStudy belongs to (its subject must be a Patient). */
export function patientOfStudy(study: fhir4.ImagingStudy): string | undefined {
  const m = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(study.subject?.reference ?? '');
  return m?.[1];
}
