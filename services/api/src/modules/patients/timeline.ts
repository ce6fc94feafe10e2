/** Pure: clinical resources of many types → one list of events, newest first. */
import type { PatientTimeline, TimelineEvent } from '@wintehr/contracts';

/** The search parameter that orders each type by its clinical date, used both to query and to page. */
export const TIMELINE_SOURCES = {
  Encounter: 'date',
  Condition: 'recorded-date',
  MedicationRequest: 'authoredon',
  Observation: 'date',
  Procedure: 'date',
  Immunization: 'date',
  DocumentReference: 'date',
  DiagnosticReport: 'date',
} as const;
export type TimelineType = keyof typeof TIMELINE_SOURCES;

type AnyRes = fhir4.FhirResource & Record<string, unknown>;

function firstCoding(cc: fhir4.CodeableConcept | undefined): fhir4.Coding | undefined {
  return cc?.coding?.[0];
}

function label(cc: fhir4.CodeableConcept | undefined): string | undefined {
  return cc?.text ?? cc?.coding?.find((c) => c.display)?.display ?? cc?.coding?.[0]?.code;
}

/** The date a resource happened on clinically, or undefined (such resources are left out). */
export function eventDate(r: fhir4.FhirResource): string | undefined {
  switch (r.resourceType) {
    case 'Encounter':
      return r.period?.start ?? r.period?.end;
    case 'Condition':
      return r.recordedDate ?? r.onsetDateTime ?? r.onsetPeriod?.start;
    case 'MedicationRequest':
      return r.authoredOn;
    case 'Observation':
      return r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.effectiveInstant ?? r.issued;
    case 'Procedure':
      return r.performedDateTime ?? r.performedPeriod?.start;
    case 'Immunization':
      return r.occurrenceDateTime;
    case 'DocumentReference':
      return r.date ?? r.context?.period?.start;
    case 'DiagnosticReport':
      return r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.issued;
    default:
      return undefined;
  }
}

export function toTimelineEvent(r: fhir4.FhirResource): TimelineEvent | undefined {
  const date = eventDate(r);
  if (!date || !r.id) return undefined;
  const x = r as AnyRes;
  let cc: fhir4.CodeableConcept | undefined;
  let status: string | undefined = typeof x.status === 'string' ? x.status : undefined;
  switch (r.resourceType) {
    case 'Encounter':
      cc = r.type?.[0] ?? (r.class ? { coding: [r.class] } : undefined);
      break;
    case 'MedicationRequest':
      cc = r.medicationCodeableConcept;
      break;
    case 'Condition':
      cc = r.code;
      status = firstCoding(r.clinicalStatus)?.code;
      break;
    case 'DocumentReference':
      cc = r.type;
      status = r.docStatus ?? r.status;
      break;
    default:
      cc = (x.code as fhir4.CodeableConcept | undefined) ?? (x.vaccineCode as fhir4.CodeableConcept | undefined);
  }
  return {
    date,
    resourceType: r.resourceType,
    id: r.id,
    title: label(cc) ?? r.resourceType,
    ...(status ? { status } : {}),
    ...(firstCoding(cc) ? { code: firstCoding(cc) } : {}),
  };
}

/** Merged, newest first, ties broken by type then id so pages are stable; strictly before `before` when given. */
export function mergeTimeline(
  resources: readonly fhir4.FhirResource[],
  limit: number,
  before?: string,
): PatientTimeline {
  const cutoff = before ? Date.parse(before) : Infinity;
  const events = resources.map(toTimelineEvent).filter((e): e is TimelineEvent => !!e && Date.parse(e.date) < cutoff);
  const seen = new Set<string>();
  const unique = events.filter((e) => {
    const k = `${e.resourceType}/${e.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  unique.sort(
    (a, b) =>
      Date.parse(b.date) - Date.parse(a.date) ||
      a.resourceType.localeCompare(b.resourceType) ||
      a.id.localeCompare(b.id),
  );
  const page = unique.slice(0, limit);
  const last = page[page.length - 1];
  return {
    events: page,
    ...(unique.length > limit && last ? { nextBefore: new Date(Date.parse(last.date)).toISOString() } : {}),
  };
}
