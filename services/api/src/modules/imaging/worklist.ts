import type {
  ImagingPriority,
  ImagingReportState,
  ImagingWorklistFilter,
  ImagingWorklistItem,
} from '@wintehr/contracts';
import { IMAGING_PRIORITIES } from '@wintehr/contracts';
import { humanNameText } from '../../core/fhir/fhir-kit';
import { patientOfStudy, summarizeStudy } from './imaging-study';
import { mrnOf } from './imaging.service';
import { reportOfStudy } from './radiology-report';

/** Included resources of a search, by "Type/id" (how references name them). */
export type Included = ReadonlyMap<string, fhir4.Resource>;

export function includedByRef(entries: readonly fhir4.BundleEntry[] | undefined): Map<string, fhir4.Resource> {
  const out = new Map<string, fhir4.Resource>();
  for (const e of entries ?? [])
    if (e.search?.mode === 'include' && e.resource?.id)
      out.set(`${e.resource.resourceType}/${e.resource.id}`, e.resource);
  return out;
}

function included<T extends fhir4.Resource>(inc: Included, type: T['resourceType'], ref?: string): T | undefined {
  const r = ref ? inc.get(ref) : undefined;
  return r?.resourceType === type ? (r as T) : undefined;
}

/** An order's priority as the worklist ranks it; an order without one is routine (FHIR's stated default). */
export function priorityOf(order: Pick<fhir4.ServiceRequest, 'priority'> | undefined): ImagingPriority {
  const p = order?.priority;
  return p && (IMAGING_PRIORITIES as readonly string[]).includes(p) ? p : 'routine';
}

/** Withdrawn reports never count: the study is still waiting for a real one. */
export const isLiveReport = (r: fhir4.DiagnosticReport): boolean =>
  r.status !== 'cancelled' && r.status !== 'entered-in-error';

/** A signed report stays signed when later amended, corrected or appended; anything before that is preliminary. */
export function reportStateOf(report: Pick<fhir4.DiagnosticReport, 'status'> | undefined): ImagingReportState {
  if (!report) return 'none';
  switch (report.status) {
    case 'final':
    case 'amended':
    case 'corrected':
    case 'appended':
      return 'final';
    case 'cancelled':
    case 'entered-in-error':
      return 'none';
    default:
      return 'preliminary';
  }
}

function orderText(sr: fhir4.ServiceRequest): string | undefined {
  return sr.code?.text ?? sr.code?.coding?.find((c) => c.display)?.display;
}

function requesterText(sr: fhir4.ServiceRequest, inc: Included): string | undefined {
  if (sr.requester?.display) return sr.requester.display;
  const who = inc.get(sr.requester?.reference ?? '') as fhir4.Practitioner | fhir4.PractitionerRole | undefined;
  return who && 'name' in who ? humanNameText(who.name) : undefined;
}

/**
 * One worklist row from a study, the search's included Patient / ServiceRequest / requester, and the patients'
 * radiology reports (newest first). Undefined for a study without a Patient subject: it cannot be opened in a chart.
 */
export function worklistItem(
  study: fhir4.ImagingStudy,
  inc: Included,
  reports: readonly fhir4.DiagnosticReport[],
): ImagingWorklistItem | undefined {
  const patientId = patientOfStudy(study);
  if (!patientId || !study.id) return undefined;
  const patient = included<fhir4.Patient>(inc, 'Patient', `Patient/${patientId}`);
  const order = (study.basedOn ?? [])
    .map((b) => included<fhir4.ServiceRequest>(inc, 'ServiceRequest', b.reference))
    .find((x) => x !== undefined);
  const report = reportOfStudy(study, reports);
  // The chart's own summary of the study and its report (counts, modalities, interpreter): one reading for both views.
  const summary = summarizeStudy(study, report);
  const name = patient ? humanNameText(patient.name, { prefix: false }) : undefined;
  const mrn = patient ? mrnOf(patient) : undefined;
  const code = order && orderText(order);
  const requester = order && requesterText(order, inc);
  const interpreter = summary.report?.interpreter;
  return {
    id: study.id,
    studyUid: summary.studyUid,
    patient: {
      id: patientId,
      ...(name ? { name } : {}),
      ...(patient?.birthDate ? { birthDate: patient.birthDate } : {}),
      ...(mrn ? { mrn } : {}),
    },
    modalities: summary.modalities.length ? summary.modalities : (study.modality ?? []).flatMap((m) => m.code ?? []),
    ...(summary.description ? { description: summary.description } : {}),
    ...(summary.started ? { started: summary.started } : {}),
    numberOfSeries: summary.numberOfSeries,
    numberOfInstances: summary.numberOfInstances,
    priority: priorityOf(order),
    ...(order?.id
      ? {
          order: {
            id: order.id,
            ...(code ? { code } : {}),
            ...(order.priority ? { priority: priorityOf(order) } : {}),
            ...(requester ? { requester } : {}),
          },
        }
      : {}),
    report: {
      state: reportStateOf(report),
      ...(summary.report ? { id: summary.report.id } : {}),
      ...(interpreter ? { interpreter } : {}),
    },
  };
}

const RANK: Record<ImagingPriority, number> = { stat: 0, asap: 1, urgent: 2, routine: 3 };

/** A study without a start time sorts after every dated one of its priority: its wait cannot be told. */
function startedMs(item: Pick<ImagingWorklistItem, 'started'>): number {
  const t = item.started ? Date.parse(item.started) : NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** Most urgent first (stat > asap > urgent > routine), then the longest waiting; the id keeps the order stable. */
export function compareWorklist(
  a: Pick<ImagingWorklistItem, 'priority' | 'started' | 'id'>,
  b: Pick<ImagingWorklistItem, 'priority' | 'started' | 'id'>,
): number {
  return RANK[a.priority] - RANK[b.priority] || startedMs(a) - startedMs(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The rows the filter shows, sorted: `unreported` keeps every study without a final report. */
export function buildWorklist(
  studies: readonly fhir4.ImagingStudy[],
  inc: Included,
  reports: readonly fhir4.DiagnosticReport[],
  filter: ImagingWorklistFilter,
): ImagingWorklistItem[] {
  const live = reports.filter(isLiveReport);
  return studies
    .map((s) => worklistItem(s, inc, live))
    .filter((i): i is ImagingWorklistItem => i !== undefined)
    .filter((i) => filter === 'all' || i.report.state !== 'final')
    .sort(compareWorklist);
}
