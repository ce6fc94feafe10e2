import type { ImagingFileError, ImagingStudySummary, ImagingUploadResult } from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import { badRequest, conflict } from '../../core/errors';
import { readOr404 } from '../../core/fhir/fhir-kit';
import {
  DicomFileError,
  dicomPersonName,
  identityMismatches,
  readDicomPart10,
  relabelDicom,
  singleStudy,
  type DicomInstance,
} from './dicom-file';
import {
  buildImagingStudy,
  dicomwebEndpoint,
  patientOfStudy,
  studyUidOf,
  studyUidToken,
  summarizeStudy,
} from './imaging-study';
import type { OrthancClient, StoredInstance } from './orthanc-client';
import { RAD_REPORT_SEARCH, reportOfStudy } from './radiology-report';
import type { UploadedFile } from './upload-parts';

export type ImagingDeps = Pick<AppDeps, 'fhir' | 'logger' | 'config'> & { orthanc: OrthancClient };

const MRN_SYSTEMS = ['urn:wintehr:mrn', 'urn:oid:2.16.840.1.113883.3.9999.1'];

/** The chart's medical record number: what DICOM PatientID must carry. */
export function mrnOf(patient: fhir4.Patient): string | undefined {
  const ids = patient.identifier ?? [];
  return (
    ids.find((i) => i.system && MRN_SYSTEMS.includes(i.system))?.value ??
    ids.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))?.value
  );
}

let endpointId: Promise<string> | undefined;

/** The one FHIR Endpoint for the façade's DICOMweb (created once, conditionally, then remembered). */
export function dicomwebEndpointId(deps: ImagingDeps): Promise<string> {
  endpointId ??= deps.fhir
    .create(dicomwebEndpoint(deps.config.publicBaseUrl), { ifNoneExist: 'identifier=urn:wintehr:endpoint|dicomweb' })
    .then((e) => e.id!)
    .catch((err: unknown) => {
      endpointId = undefined;
      throw err;
    });
  return endpointId;
}

export async function studyByUid(deps: Pick<AppDeps, 'fhir'>, uid: string): Promise<fhir4.ImagingStudy | undefined> {
  const hits = await deps.fhir.searchResources('ImagingStudy', { identifier: studyUidToken(uid), _count: 2 });
  return hits[0];
}

export interface UploadInput {
  patientId: string;
  files: readonly UploadedFile[];
  relabel: boolean;
  serviceRequestId?: string;
}

/** Parses every file; one bad file refuses the whole upload, naming each bad file. */
export function parseAll(files: readonly UploadedFile[]): DicomInstance[] {
  const errors: ImagingFileError[] = [];
  const out: DicomInstance[] = [];
  for (const f of files) {
    try {
      out.push(readDicomPart10(f.name, f.data));
    } catch (err) {
      errors.push({ file: f.name, message: err instanceof DicomFileError ? err.message : 'unreadable' });
    }
  }
  if (errors.length)
    throw badRequest(
      `${errors.length} of ${files.length} file(s) are not valid DICOM: ${errors
        .slice(0, 3)
        .map((e) => e.file)
        .join(', ')}${errors.length > 3 ? ', …' : ''}. Nothing was stored.`,
      errors,
    );
  return out;
}

async function checkServiceRequest(deps: ImagingDeps, patientId: string, id: string): Promise<void> {
  const sr = await readOr404(deps, 'ServiceRequest', id);
  if (sr.subject?.reference !== `Patient/${patientId}`)
    throw badRequest('The imaging order belongs to another patient', [
      { field: 'serviceRequestId', message: 'not an order of this patient' },
    ]);
}

/** Undoes what this upload added to the PACS: the whole study if it was new, else only the new instances. */
async function rollback(deps: ImagingDeps, studyWasNew: boolean, stored: readonly StoredInstance[]): Promise<void> {
  try {
    if (studyWasNew) {
      for (const id of new Set(stored.map((s) => s.studyId))) await deps.orthanc.deleteStudy(id);
    } else {
      for (const s of stored.filter((x) => x.status === 'Success')) await deps.orthanc.deleteInstance(s.id);
    }
  } catch (err) {
    deps.logger.error({ err: { message: (err as Error).message } }, 'imaging upload rollback failed');
  }
}

/**
 * Upload: validate every file as DICOM Part 10, check (or re-label) the patient identity against the chart's MRN, store
 * in Orthanc, then write the ImagingStudy to HAPI. If HAPI refuses, what was stored in Orthanc is removed again, so
 * the PACS never holds a study the chart does not know.
 */
export async function uploadStudy(
  deps: ImagingDeps,
  input: UploadInput,
): Promise<Omit<ImagingUploadResult, 'study'> & { study: ImagingStudySummary }> {
  const patient = await readOr404(deps, 'Patient', input.patientId);
  const mrn = mrnOf(patient);
  if (!mrn)
    throw conflict(
      'The chart patient has no medical record number to match DICOM PatientID against',
      undefined,
      'IMAGING_NO_MRN',
    );
  let files = input.files;
  let instances = parseAll(files);
  const one = singleStudy(instances);
  if ('uids' in one)
    throw badRequest(`The files belong to ${one.uids.length} studies; upload one study at a time`, [
      { field: 'files', message: 'several StudyInstanceUIDs' },
    ]);
  const mismatched = identityMismatches(instances, mrn);
  let relabelled = false;
  if (mismatched.length) {
    if (!input.relabel)
      throw conflict(
        `${mismatched.length} file(s) name another patient (DICOM PatientID differs from the chart's MRN); re-send with relabel=true to re-label them`,
        mismatched.map((m) => ({ file: m.file, message: 'PatientID does not match the chart' })),
        'IMAGING_PATIENT_MISMATCH',
      );
    const name = dicomPersonName(patient.name?.[0]);
    files = files.map((f) => ({ name: f.name, data: relabelDicom(f.data, { id: mrn, name }) }));
    instances = parseAll(files);
    relabelled = true;
  }
  const existing = await studyByUid(deps, one.uid);
  if (existing && patientOfStudy(existing) !== input.patientId)
    throw conflict('This study is already filed in another chart', undefined, 'IMAGING_STUDY_OTHER_PATIENT');
  if (input.serviceRequestId) await checkServiceRequest(deps, input.patientId, input.serviceRequestId);
  const endpoint = await dicomwebEndpointId(deps);

  const studyWasNew = (await deps.orthanc.findStudy(one.uid)) === undefined;
  const stored: StoredInstance[] = [];
  let imagingStudy: fhir4.ImagingStudy;
  try {
    for (const f of files) stored.push(await deps.orthanc.storeInstance(f.data));
    const resource = buildImagingStudy(
      instances,
      { patientId: input.patientId, endpointId: endpoint, serviceRequestId: input.serviceRequestId },
      existing,
    );
    imagingStudy = existing?.id
      ? await deps.fhir.update(resource, { ifMatch: existing.meta?.versionId })
      : await deps.fhir.create(resource);
  } catch (err) {
    await rollback(deps, studyWasNew, stored);
    throw err;
  }
  return {
    study: summarizeStudy(imagingStudy),
    imagingStudy,
    stored: stored.filter((s) => s.status === 'Success').length,
    alreadyStored: stored.filter((s) => s.status === 'AlreadyStored').length,
    relabelled,
  };
}

/** A patient's studies, newest first, each with its newest radiology report. */
export async function listStudies(deps: Pick<AppDeps, 'fhir'>, patientId: string): Promise<ImagingStudySummary[]> {
  const [studies, reports] = await Promise.all([
    deps.fhir.searchResources('ImagingStudy', { subject: `Patient/${patientId}`, _sort: '-started', _count: 200 }),
    deps.fhir.searchResources('DiagnosticReport', { ...RAD_REPORT_SEARCH, subject: `Patient/${patientId}` }),
  ]);
  return studies.map((s) => summarizeStudy(s, reportOfStudy(s, reports)));
}

export { studyUidOf };
