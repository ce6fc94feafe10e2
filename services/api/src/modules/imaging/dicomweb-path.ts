import { DICOM_UID_RE } from '@wintehr/contracts';

/**
 * What a /dicomweb request asks for, decided before anything is forwarded: every request either names one study (its
 * patient is then checked) or is a QIDO search pinned to one patient by an exact PatientID. Anything else is refused.
 */
export type DicomwebTarget =
  | { kind: 'study'; studyUid: string; path: string; level: 'study' | 'series' | 'instance' | 'frames' | 'rendered' }
  | { kind: 'patient-search'; patientMrn: string; path: string }
  | { kind: 'refused'; status: 400 | 404; message: string };

const SEG_UID = '((?:0|[1-9]\\d*)(?:\\.(?:0|[1-9]\\d*))+)';
type Level = Extract<DicomwebTarget, { kind: 'study' }>['level'];
const STUDY_PATHS: Array<[RegExp, Level]> = [
  [new RegExp(`^/studies/${SEG_UID}(/metadata|/series|/rendered|/thumbnail)?$`), 'study'],
  [new RegExp(`^/studies/${SEG_UID}/series/${SEG_UID}(/metadata|/instances|/rendered|/thumbnail)?$`), 'series'],
  [new RegExp(`^/studies/${SEG_UID}/series/${SEG_UID}/instances/${SEG_UID}(/metadata)?$`), 'instance'],
  [new RegExp(`^/studies/${SEG_UID}/series/${SEG_UID}/instances/${SEG_UID}/frames/\\d+(,\\d+)*$`), 'frames'],
  [new RegExp(`^/studies/${SEG_UID}/series/${SEG_UID}/instances/${SEG_UID}/(rendered|thumbnail)$`), 'rendered'],
  [new RegExp(`^/studies/${SEG_UID}/series/${SEG_UID}/instances/${SEG_UID}/frames/\\d+/rendered$`), 'rendered'],
];

/**
 * Orthanc reads a QIDO key as a keyword or a tag in any of its spellings ("0020000D", "0020000d", "0020,000D") and
 * keeps the last of duplicates, so keys are compared in one normal form: otherwise a second spelling would replace
 * the value that was checked.
 */
const normalKey = (k: string) => k.replace(/[^0-9a-z]/gi, '').toUpperCase();
const STUDY_UID_KEYS = ['StudyInstanceUID', '0020000D'];
const PATIENT_ID_KEYS = ['PatientID', '00100020'];
/** QIDO keys that could widen a search beyond the exact values given. */
const WIDENING = ['fuzzymatching'];

type Query = Record<string, unknown>;

function values(query: Query, keys: readonly string[]): unknown[] {
  const wanted = new Set(keys.map(normalKey));
  return Object.keys(query)
    .filter((k) => wanted.has(normalKey(k)))
    .flatMap((k) => (Array.isArray(query[k]) ? (query[k] as unknown[]) : [query[k]]));
}

/**
 * The query exactly as it will be forwarded: every key, however many (express's parser stops at 1,000 keys, and a
 * key it dropped would still reach Orthanc unchecked), repeated keys as lists.
 */
export function forwardedQuery(rawQuery: string): Query {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  return out;
}

/** One exact value (no wildcard, no list, no range) for all of the given keys, or why not. */
function exactValue(query: Query, keys: readonly string[]): { value?: string; error?: string } {
  const vs = values(query, keys);
  if (vs.length === 0) return {};
  const distinct = [...new Set(vs.map(String))];
  if (distinct.length !== 1 || vs.some((v) => typeof v !== 'string'))
    return { error: `${keys[0]} must be given once, with one value` };
  const v = distinct[0]!;
  if (v === '' || /[*?,\\]/.test(v)) return { error: `${keys[0]} must be an exact value (no wildcards or lists)` };
  return { value: v };
}

export function classifyDicomweb(method: string, path: string, query: Query): DicomwebTarget {
  if (method !== 'GET' && method !== 'HEAD')
    return {
      kind: 'refused',
      status: 400,
      message: 'DICOMweb here is read-only (QIDO-RS, WADO-RS); upload through the API',
    };
  for (const [re, level] of STUDY_PATHS) {
    const m = re.exec(path);
    if (m) return { kind: 'study', studyUid: m[1]!, path, level };
  }
  if (!/^\/(studies|series|instances)$/.test(path))
    return { kind: 'refused', status: 404, message: 'not a supported DICOMweb resource' };
  if (values(query, WIDENING).some((v) => String(v) !== 'false'))
    return { kind: 'refused', status: 400, message: 'fuzzy matching is not allowed' };
  const study = exactValue(query, STUDY_UID_KEYS);
  if (study.error) return { kind: 'refused', status: 400, message: study.error };
  if (study.value) {
    if (!DICOM_UID_RE.test(study.value) || study.value.length > 64)
      return { kind: 'refused', status: 400, message: 'StudyInstanceUID is not a DICOM UID' };
    return { kind: 'study', studyUid: study.value, path, level: 'study' };
  }
  const patient = exactValue(query, PATIENT_ID_KEYS);
  if (patient.error) return { kind: 'refused', status: 400, message: patient.error };
  if (!patient.value)
    return {
      kind: 'refused',
      status: 400,
      message: 'a search needs StudyInstanceUID or PatientID (00100020): only patients you may see are searched',
    };
  return { kind: 'patient-search', patientMrn: patient.value, path };
}

/**
 * Orthanc writes its own address into DICOMweb answers (BulkDataURI, RetrieveURL); clients must see the façade's.
 */
export function rewriteDicomwebUrls(body: string, publicRoot: string): string {
  return body.replace(/https?:\/\/[^/"\s]+\/dicom-web(?=\/)/g, publicRoot);
}
