import { humanNameText } from '../../core/fhir/fhir-kit';
import type { EncounterSummary, MyPatient, MyPatientReason, ScheduleItem, SchedulePatient } from '@wintehr/contracts';
import { AppointmentStatus } from '@wintehr/contracts';
import { idFromReference } from '../../core/fhir/fhir-kit';

/** From HAPI's Appointments, Patients and Encounters to the schedule and list views. Pure. */

const MRN_SYSTEM_HINT = /mrn/i;

export const displayName = (p: fhir4.Patient | undefined): string =>
  humanNameText(p?.name, { prefix: false }) ?? 'Unnamed patient';

export function patientRef(p: fhir4.Patient): SchedulePatient {
  const mrn = p.identifier?.find(
    (i) => MRN_SYSTEM_HINT.test(i.system ?? '') || i.type?.coding?.some((c) => c.code === 'MR'),
  )?.value;
  return {
    id: p.id!,
    name: displayName(p),
    ...(mrn ? { mrn } : {}),
    ...(p.birthDate ? { birthDate: p.birthDate } : {}),
  };
}

/** The patient of an Appointment (its Patient participant). */
export function appointmentPatientId(a: fhir4.Appointment): string | undefined {
  for (const p of a.participant ?? []) {
    const id = idFromReference(p.actor?.reference, 'Patient');
    if (id) return id;
  }
  return undefined;
}

export function scheduleItem(
  a: fhir4.Appointment,
  patients: ReadonlyMap<string, fhir4.Patient>,
  encounter?: fhir4.Encounter,
): ScheduleItem {
  const pid = appointmentPatientId(a);
  const patient = pid ? patients.get(pid) : undefined;
  const status = AppointmentStatus.safeParse(a.status);
  const type = a.appointmentType?.text ?? a.appointmentType?.coding?.[0]?.display ?? a.serviceType?.[0]?.text;
  return {
    appointmentId: a.id!,
    ...(a.start ? { start: a.start } : {}),
    ...(a.end ? { end: a.end } : {}),
    ...(a.minutesDuration ? { minutes: a.minutesDuration } : {}),
    status: status.success ? status.data : 'booked',
    ...(a.description ? { description: a.description } : {}),
    ...(type ? { type } : {}),
    ...(patient ? { patient: patientRef(patient) } : pid ? { patient: { id: pid, name: 'Patient' } } : {}),
    ...(encounter?.id ? { encounter: { id: encounter.id, status: encounter.status } } : {}),
  };
}

/** Schedule order: by start time, appointments without one last. */
export function byStart(a: ScheduleItem, b: ScheduleItem): number {
  return (a.start ?? '\uffff').localeCompare(b.start ?? '\uffff');
}

/** The Appointment an Encounter was started from. */
export function encounterAppointmentId(e: fhir4.Encounter): string | undefined {
  for (const r of e.appointment ?? []) {
    const id = idFromReference(r.reference, 'Appointment');
    if (id) return id;
  }
  return undefined;
}

export function encounterSummary(e: fhir4.Encounter): EncounterSummary {
  const type = e.type?.[0]?.text ?? e.type?.[0]?.coding?.[0]?.display;
  const appointmentId = encounterAppointmentId(e);
  return {
    id: e.id!,
    status: e.status,
    ...(e.class?.code ? { class: e.class.code } : {}),
    ...(type ? { type } : {}),
    ...(e.period?.start ? { start: e.period.start } : {}),
    ...(e.period?.end ? { end: e.period.end } : {}),
    ...(appointmentId ? { appointmentId } : {}),
    practitioners: (e.participant ?? [])
      .map((p) => idFromReference(p.individual?.reference, 'Practitioner'))
      .filter((x): x is string => !!x),
  };
}

/**
 * What the appointment actions may do from each status: check in before the patient is roomed, mark arrived, and
 * start the visit from any of booked / checked-in / arrived. A cancelled, no-show or finished appointment stays so.
 */
const FROM: Record<'check-in' | 'arrived' | 'start-visit', readonly string[]> = {
  'check-in': ['booked', 'pending', 'proposed'],
  arrived: ['booked', 'pending', 'proposed', 'checked-in'],
  'start-visit': ['booked', 'pending', 'proposed', 'checked-in', 'arrived'],
};
export function actionAllowed(action: keyof typeof FROM, status: string): boolean {
  return FROM[action].includes(status);
}

/** The in-progress Encounter a visit starts with, linked to its Appointment, patient and practitioner. */
export function visitEncounter(o: {
  appointment: fhir4.Appointment;
  patientId: string;
  practitionerId?: string;
  now: Date;
}): fhir4.Encounter {
  const a = o.appointment;
  const location = (a.participant ?? []).find((p) => p.actor?.reference?.startsWith('Location/'))?.actor;
  return {
    resourceType: 'Encounter',
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    ...(a.appointmentType ? { type: [a.appointmentType] } : {}),
    subject: { reference: `Patient/${o.patientId}` },
    appointment: [{ reference: `Appointment/${a.id}` }],
    period: { start: o.now.toISOString() },
    ...(o.practitionerId
      ? {
          participant: [
            {
              type: [
                {
                  coding: [
                    {
                      system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
                      code: 'PPRF',
                      display: 'primary performer',
                    },
                  ],
                },
              ],
              individual: { reference: `Practitioner/${o.practitionerId}` },
            },
          ],
        }
      : {}),
    ...(a.reasonReference ? { reasonReference: a.reasonReference } : {}),
    ...(location ? { location: [{ location }] } : {}),
  };
}

interface ListEntry {
  reasons: Set<MyPatientReason>;
  why: string[];
  appointmentStart?: string;
}

/** Builds "my patients" from the three sources, each patient once with every reason it is on the list. */
export class MyPatientList {
  private readonly entries = new Map<string, ListEntry>();

  add(patientId: string, reason: MyPatientReason, why: string, appointmentStart?: string): void {
    let e = this.entries.get(patientId);
    if (!e) this.entries.set(patientId, (e = { reasons: new Set(), why: [] }));
    e.reasons.add(reason);
    if (!e.why.includes(why)) e.why.push(why);
    if (appointmentStart && (!e.appointmentStart || appointmentStart < e.appointmentStart))
      e.appointmentStart = appointmentStart;
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** Today's appointments first (by time), then by name. */
  build(patients: ReadonlyMap<string, fhir4.Patient>): MyPatient[] {
    const out: MyPatient[] = [];
    for (const [id, e] of this.entries) {
      const p = patients.get(id);
      if (!p) continue; // deleted or unreadable: nothing to open
      const ref = patientRef(p);
      out.push({
        ...ref,
        reasons: [...e.reasons],
        why: e.why,
        ...(e.appointmentStart ? { appointmentStart: e.appointmentStart } : {}),
      });
    }
    return out.sort(
      (a, b) =>
        (a.appointmentStart ?? '\uffff').localeCompare(b.appointmentStart ?? '\uffff') || a.name.localeCompare(b.name),
    );
  }
}
