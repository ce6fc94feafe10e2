import type { PortalRecord } from '@wintehr/contracts';
import { activeAllergies, allergyRecordState } from '../chart/allergy-rules';
import { latestVitals } from '../patients/patient-summary';

/** The portal's plain views of chart resources: names a patient recognises, no codes, no internal references. */
const conceptText = (c: fhir4.CodeableConcept | undefined): string | undefined =>
  c?.text ?? c?.coding?.find((x) => x.display)?.display ?? undefined;
const statusCode = (c: fhir4.CodeableConcept | undefined) => c?.coding?.[0]?.code;

const ACTIVE_PROBLEM = new Set(['active', 'recurrence', 'relapse']);
const REFILLABLE = new Set(['active', 'on-hold']);

export function problemsView(items: readonly fhir4.Condition[]): PortalRecord['problems'] {
  return items
    .filter(
      (c) =>
        ACTIVE_PROBLEM.has(statusCode(c.clinicalStatus) ?? '') &&
        statusCode(c.verificationStatus) !== 'entered-in-error',
    )
    .map((c) => ({
      id: c.id!,
      name: conceptText(c.code) ?? 'Unnamed problem',
      since: c.onsetDateTime ?? c.recordedDate ?? null,
    }));
}

export function medicationsView(items: readonly fhir4.MedicationRequest[]): PortalRecord['medications'] {
  return items
    .filter((m) => REFILLABLE.has(m.status))
    .map((m) => ({
      id: m.id!,
      name: conceptText(m.medicationCodeableConcept) ?? m.medicationReference?.display ?? 'Medication',
      instructions: m.dosageInstruction?.[0]?.text ?? null,
      status: m.status,
      refillable: REFILLABLE.has(m.status),
    }));
}

export function allergiesView(items: readonly fhir4.AllergyIntolerance[]): PortalRecord['allergies'] {
  return {
    state: allergyRecordState(items),
    items: activeAllergies(items).map((a) => ({
      id: a.id!,
      substance: conceptText(a.code) ?? 'Allergy',
      reactions: (a.reaction ?? [])
        .flatMap((r) => (r.manifestation ?? []).map(conceptText))
        .filter((x): x is string => !!x),
      criticality: a.criticality ?? null,
    })),
  };
}

export function immunizationsView(items: readonly fhir4.Immunization[]): PortalRecord['immunizations'] {
  return items
    .filter((i) => i.status === 'completed')
    .map((i) => ({ id: i.id!, vaccine: conceptText(i.vaccineCode) ?? 'Vaccine', date: i.occurrenceDateTime ?? null }));
}

const fmt = (v: number | undefined, unit: string | undefined) =>
  v === undefined ? undefined : `${v}${unit ? ` ${unit}` : ''}`;

/** The newest value of each vital sign; a blood-pressure panel reads "128/82 mmHg". */
export function vitalsView(newestFirst: readonly fhir4.Observation[]): PortalRecord['vitals'] {
  const released = newestFirst.filter(
    (o) => o.status === 'final' || o.status === 'amended' || o.status === 'corrected',
  );
  return latestVitals(released).flatMap((v) => {
    const parts = v.components?.filter((k) => k.value !== undefined) ?? [];
    const value =
      parts.length >= 2
        ? `${parts.map((k) => k.value).join('/')}${parts[0]!.unit ? ` ${parts[0]!.unit}` : ''}`
        : fmt(v.value, v.unit);
    return value ? [{ name: v.display ?? 'Vital sign', value, date: v.effective ?? null }] : [];
  });
}

export function visitsView(items: readonly fhir4.Encounter[]): PortalRecord['visits'] {
  return items
    .filter((e) => e.status === 'finished')
    .map((e) => ({
      id: e.id!,
      type: conceptText(e.type?.[0]) ?? e.class?.display ?? 'Visit',
      start: e.period?.start ?? null,
      end: e.period?.end ?? null,
      reason: conceptText(e.reasonCode?.[0]) ?? null,
      clinician:
        e.participant?.map((p) => p.individual?.display).find((x): x is string => !!x) ??
        e.serviceProvider?.display ??
        null,
    }));
}

/** Open notes: signed notes only (drafts stay their author's), the current version of each. */
export function notesView(items: readonly fhir4.DocumentReference[]): PortalRecord['notes'] {
  return items
    .filter((d) => d.status === 'current' && (d.docStatus === 'final' || d.docStatus === 'amended'))
    .map((d) => {
      const a = d.content?.find((c) => c.attachment?.contentType?.startsWith('text/plain'))?.attachment;
      return {
        id: d.id!,
        title: d.description ?? a?.title ?? 'Clinical note',
        date: d.date ?? null,
        author: d.author?.[0]?.display ?? null,
        text: a?.data ? Buffer.from(a.data, 'base64').toString('utf8') : '',
      };
    });
}
