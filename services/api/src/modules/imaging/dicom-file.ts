// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dcmjs ships no types; the reference makes ours visible wherever this file is compiled (API, scripts)
/// <reference path="./dcmjs.d.ts" />
import dcmjs from 'dcmjs';

// dcmjs reports every VR it has to guess on the console; this module decides what is an error itself.
dcmjs.log.setLevel('error');

/** What the upload path needs from one DICOM Part 10 file. */
export interface DicomInstance {
  file: string;
  sopClassUid: string;
  sopInstanceUid: string;
  studyUid: string;
  seriesUid: string;
  patientId: string;
  patientName: string;
  modality: string;
  studyDate?: string;
  studyTime?: string;
  studyDescription?: string;
  seriesNumber?: number;
  seriesDescription?: string;
  instanceNumber?: number;
  numberOfFrames: number;
}

export class DicomFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

const UID = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/;

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'object' && v && 'Alphabetic' in v) return String((v as { Alphabetic: unknown }).Alphabetic ?? '');
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

function int(v: unknown): number | undefined {
  const s = text(v);
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isInteger(n) ? n : undefined;
}

/**
 * Reads one file as DICOM Part 10 (128-byte preamble, "DICM", file meta group) and the identifiers the PACS and the
 * ImagingStudy need. Anything else is refused with the file's name: the upload stores nothing when one file is bad.
 */
export function readDicomPart10(file: string, buf: Buffer): DicomInstance {
  if (buf.length < 132 || buf.toString('latin1', 128, 132) !== 'DICM')
    throw new DicomFileError(file, 'not a DICOM Part 10 file (no DICM prefix after the 128-byte preamble)');
  let ds: Record<string, unknown>;
  let meta: Record<string, unknown>;
  try {
    const parsed = dcmjs.data.DicomMessage.readFile(toArrayBuffer(buf), { untilTag: '7FE00010' });
    ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.dict);
    meta = dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.meta);
  } catch (err) {
    throw new DicomFileError(file, `unreadable DICOM: ${(err as Error).message}`);
  }
  const need = (key: string, v: string | undefined): string => {
    if (!v) throw new DicomFileError(file, `missing ${key}`);
    return v;
  };
  const uid = (key: string, v: unknown): string => {
    const s = need(key, text(v)).replace(/\0/g, '').trim();
    if (s.length > 64 || !UID.test(s)) throw new DicomFileError(file, `${key} is not a valid DICOM UID`);
    return s;
  };
  if (!text(meta.TransferSyntaxUID)) throw new DicomFileError(file, 'missing TransferSyntaxUID in the file meta');
  return {
    file,
    sopClassUid: uid('SOPClassUID', ds.SOPClassUID ?? meta.MediaStorageSOPClassUID),
    sopInstanceUid: uid('SOPInstanceUID', ds.SOPInstanceUID),
    studyUid: uid('StudyInstanceUID', ds.StudyInstanceUID),
    seriesUid: uid('SeriesInstanceUID', ds.SeriesInstanceUID),
    patientId: text(ds.PatientID) ?? '',
    patientName: text(ds.PatientName) ?? '',
    modality: text(ds.Modality) ?? 'OT',
    studyDate: text(ds.StudyDate),
    studyTime: text(ds.StudyTime),
    studyDescription: text(ds.StudyDescription),
    seriesNumber: int(ds.SeriesNumber),
    seriesDescription: text(ds.SeriesDescription),
    instanceNumber: int(ds.InstanceNumber),
    numberOfFrames: int(ds.NumberOfFrames) ?? 1,
  };
}

/** Rewrites the patient identity of a file to the chart patient's (the uploader asked to re-label it). */
export function relabelDicom(buf: Buffer, patient: { id: string; name: string }): Buffer {
  const parsed = dcmjs.data.DicomMessage.readFile(toArrayBuffer(buf));
  parsed.dict['00100020'] = { vr: 'LO', Value: [patient.id] };
  parsed.dict['00100010'] = { vr: 'PN', Value: [{ Alphabetic: patient.name }] };
  return Buffer.from(parsed.write());
}

/** DICOM PN (Family^Given) from a FHIR HumanName. */
export function dicomPersonName(name: fhir4.HumanName | undefined): string {
  if (!name) return '';
  return [name.family ?? '', (name.given ?? []).join(' ')].join('^').replace(/\^$/, '');
}

/**
 * The files of one upload must be one study of the chart patient: the identity check compares DICOM PatientID with the
 * chart's MRN. Returns the files whose PatientID differs (the caller answers 409 unless re-labelling was asked for).
 */
export function identityMismatches(instances: readonly DicomInstance[], mrn: string): DicomInstance[] {
  return instances.filter((i) => i.patientId !== mrn);
}

/** The one StudyInstanceUID of an upload, or the list of them when the files mix studies. */
export function singleStudy(instances: readonly DicomInstance[]): { uid: string } | { uids: string[] } {
  const uids = [...new Set(instances.map((i) => i.studyUid))];
  return uids.length === 1 ? { uid: uids[0]! } : { uids };
}
