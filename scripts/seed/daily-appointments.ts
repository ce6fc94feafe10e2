/**
 * Appointments for the demo clinic day: a few booked visits with Dr. Wilson today and tomorrow, so the schedule, the
 * visit actions and the nightly eligibility batch have something to show on the day the demo runs. Appointments
 * otherwise start two days ahead (generatePatient).
 *
 * Each appointment is keyed by its own date and slot (`daily-<date>-<slot>`), never by the load date: tomorrow's
 * visits created today are the same resources the loader finds tomorrow, so a daily `npm start` adds the next day
 * and never a duplicate. Pure: the loader posts the bundle.
 */
import { APPOINTMENT_TYPES, MEDICAL_CENTER, SYS } from './catalog';
import { stableUuid } from './prng';
import { DEMO_IDS, FIXED_PATIENTS, generatePatient, patientDemoIdentifier, type DirectoryRefs } from './generate';

const DAY_MS = 86_400_000;
/** Clinic slots in UTC (the API's default CLINIC_TIME_ZONE), minutes from midnight, with the visit length. */
const SLOTS = [
  { at: 9 * 60, minutes: 20, type: 'FOLLOWUP', description: 'Follow-up visit' },
  { at: 10 * 60 + 30, minutes: 40, type: 'CHECKUP', description: 'Annual physical examination' },
  { at: 13 * 60 + 15, minutes: 20, type: 'FOLLOWUP', description: 'Follow-up: blood pressure check' },
  { at: 15 * 60 + 30, minutes: 20, type: 'FOLLOWUP', description: 'Follow-up: medication review' },
] as const;

/** Demo patients whose primary care physician is Dr. Wilson (so he may open their charts): the fixed two first. */
export function wilsonPatients(seed: number, patientCount: number, refs: DirectoryRefs, max = 6): string[] {
  const wilson = refs[DEMO_IDS.practitioner('wilson')];
  const out: string[] = FIXED_PATIENTS.map((p) => p.demoIdentifier).slice(0, Math.min(2, patientCount));
  for (let i = FIXED_PATIENTS.length; i < patientCount && out.length < max; i++) {
    const patient = generatePatient(seed, i, refs).entry?.find((e) => e.resource?.resourceType === 'Patient')
      ?.resource as fhir4.Patient | undefined;
    if (patient?.generalPractitioner?.[0]?.reference === wilson) out.push(patientDemoIdentifier(seed, i));
  }
  return out;
}

const instant = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const addDay = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The appointments of one date: every slot filled, patients rotating with the date so days differ. */
export function dailyAppointments(date: string, patients: readonly string[], refs: DirectoryRefs): fhir4.BundleEntry[] {
  if (!patients.length) return [];
  const dayMs = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(dayMs)) throw new RangeError(`invalid date ${date}`);
  const rotate = Math.floor(dayMs / DAY_MS) % patients.length;
  const dir = (key: string) => {
    const r = refs[key];
    if (!r) throw new Error(`directoryRefs has no entry for ${key}`);
    return r;
  };
  return SLOTS.slice(0, Math.min(SLOTS.length, patients.length)).map((slot, i) => {
    const patient = patients[(rotate + i) % patients.length]!;
    const start = dayMs + slot.at * 60_000;
    const key = `daily-${date}-${i}`;
    const fixed = FIXED_PATIENTS.some((p) => p.demoIdentifier === patient);
    const appointment: fhir4.Appointment = {
      resourceType: 'Appointment',
      identifier: [{ system: SYS.DEMO, value: key }],
      status: 'booked',
      appointmentType: { coding: [{ ...APPOINTMENT_TYPES[slot.type] }] },
      serviceType: [{ text: 'Family practice' }],
      description: slot.description,
      start: instant(start),
      end: instant(start + slot.minutes * 60_000),
      minutesDuration: slot.minutes,
      created: instant(dayMs - 7 * DAY_MS),
      participant: [
        { actor: { reference: `Patient?identifier=${SYS.DEMO}|${patient}` }, required: 'required', status: 'accepted' },
        {
          actor: { reference: dir(DEMO_IDS.practitioner('wilson')), display: 'Dr. James Wilson' },
          required: 'required',
          status: 'accepted',
        },
        // The fixed patients' nurse rooms them, so nurse.joy has a schedule too.
        ...(fixed
          ? [
              {
                actor: { reference: dir(DEMO_IDS.practitioner('nurse-joy')) },
                required: 'optional' as const,
                status: 'accepted' as const,
              },
            ]
          : []),
        {
          actor: { reference: dir(MEDICAL_CENTER.locationKey), display: MEDICAL_CENTER.locationName },
          required: 'required',
          status: 'accepted',
        },
      ],
    };
    return {
      fullUrl: `urn:uuid:${stableUuid(key)}`,
      resource: appointment,
      request: { method: 'POST', url: 'Appointment', ifNoneExist: `identifier=${SYS.DEMO}|${key}` },
    };
  });
}

/** Today's and tomorrow's appointments (relative to `anchor`) as one transaction. */
export function generateDailyAppointments(
  seed: number,
  refs: DirectoryRefs,
  o: { anchor: string; patientCount: number },
): fhir4.Bundle {
  const patients = wilsonPatients(seed, o.patientCount, refs);
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [...dailyAppointments(o.anchor, patients, refs), ...dailyAppointments(addDay(o.anchor, 1), patients, refs)],
  };
}
