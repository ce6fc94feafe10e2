import type { AppointmentAction, EncounterSummary, MyPatients, Schedule } from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import { AppError, conflict } from '../../core/errors';
import { readOr404 } from '../../core/fhir/fhir-kit';
import { localDate, localDayRange } from './day';
import {
  actionAllowed,
  appointmentPatientId,
  byStart,
  encounterAppointmentId,
  encounterSummary,
  MyPatientList,
  scheduleItem,
  visitEncounter,
} from './schedule-view';

const MAX_APPOINTMENTS = 200;
const MAX_PATIENTS = 300;
const ID_CHUNK = 80;

/** Patients by id, read in chunks with `_id=a,b,c` (one search per chunk instead of one read per patient). */
export const patientsById = (deps: Pick<AppDeps, 'fhir'>, ids: string[]): Promise<Map<string, fhir4.Patient>> =>
  deps.fhir.readMany('Patient', ids, { chunk: ID_CHUNK });

/** A practitioner's appointments on one local day, with their patients (one search with _include). */
export async function appointmentsOn(
  deps: Pick<AppDeps, 'fhir'>,
  o: { date: string; timeZone: string; practitionerId?: string; status?: string },
): Promise<{ appointments: fhir4.Appointment[]; patients: Map<string, fhir4.Patient> }> {
  const { start, end } = localDayRange(o.date, o.timeZone);
  const bundle = await deps.fhir.search('Appointment', {
    date: [`ge${start.toISOString()}`, `lt${end.toISOString()}`],
    ...(o.practitionerId ? { practitioner: `Practitioner/${o.practitionerId}` } : {}),
    ...(o.status ? { status: o.status } : {}),
    _include: 'Appointment:patient',
    _sort: 'date',
    _count: MAX_APPOINTMENTS,
  });
  const appointments: fhir4.Appointment[] = [];
  const patients = new Map<string, fhir4.Patient>();
  for (const e of bundle.entry ?? []) {
    const r = e.resource as fhir4.FhirResource | undefined;
    if (r?.resourceType === 'Appointment') appointments.push(r);
    else if (r?.resourceType === 'Patient' && r.id) patients.set(r.id, r);
  }
  return { appointments, patients };
}

async function encountersOf(deps: Pick<AppDeps, 'fhir'>, appointmentIds: string[]): Promise<fhir4.Encounter[]> {
  if (!appointmentIds.length) return [];
  const out: fhir4.Encounter[] = [];
  for (let i = 0; i < appointmentIds.length; i += ID_CHUNK) {
    const chunk = appointmentIds.slice(i, i + ID_CHUNK);
    out.push(
      ...(await deps.fhir.searchResources('Encounter', {
        appointment: chunk.map((id) => `Appointment/${id}`).join(','),
        _count: 200,
      })),
    );
  }
  return out;
}

/** The encounter a schedule line shows: the one in progress, else the latest. */
function encounterByAppointment(encounters: fhir4.Encounter[]): Map<string, fhir4.Encounter> {
  const out = new Map<string, fhir4.Encounter>();
  for (const e of encounters) {
    const a = encounterAppointmentId(e);
    if (!a) continue;
    const prior = out.get(a);
    if (!prior || (e.status === 'in-progress' && prior.status !== 'in-progress')) out.set(a, e);
  }
  return out;
}

export async function scheduleFor(
  deps: Pick<AppDeps, 'fhir'>,
  o: { practitionerId: string; date?: string; timeZone: string; now?: Date },
): Promise<Schedule> {
  const date = o.date ?? localDate(o.now ?? new Date(), o.timeZone);
  const { appointments, patients } = await appointmentsOn(deps, { ...o, date });
  const encounters = encounterByAppointment(
    await encountersOf(
      deps,
      appointments.map((a) => a.id!),
    ),
  );
  return {
    date,
    timeZone: o.timeZone,
    practitionerId: o.practitionerId,
    items: appointments.map((a) => scheduleItem(a, patients, encounters.get(a.id!))).sort(byStart),
  };
}

function careTeamWhy(team: fhir4.CareTeam, practitionerRef: string): string {
  const me = team.participant?.find((p) => p.member?.reference === practitionerRef);
  const role = me?.role?.[0]?.text ?? me?.role?.[0]?.coding?.[0]?.display;
  return role ? `care team: ${role}` : 'care team';
}

/** The user's patients: care teams they are on, explicit assignments and today's appointments, each with why. */
export async function myPatients(
  deps: Pick<AppDeps, 'fhir' | 'pg'>,
  o: { userId: string; practitionerId?: string; timeZone: string; now?: Date },
): Promise<MyPatients> {
  const list = new MyPatientList();
  const assignments = await deps.pg.query<{ patient_id: string; reason: string | null }>(
    `SELECT patient_id, reason FROM patient_assignments
      WHERE user_id = $1 AND (expires_at IS NULL OR expires_at > now()) ORDER BY created_at DESC LIMIT $2`,
    [o.userId, MAX_PATIENTS],
  );
  for (const a of assignments.rows)
    list.add(a.patient_id, 'assignment', a.reason ? `assigned: ${a.reason}` : 'assigned to you');
  if (o.practitionerId) {
    const ref = `Practitioner/${o.practitionerId}`;
    const [teams, today] = await Promise.all([
      deps.fhir.searchResources('CareTeam', { participant: ref, status: 'active', _count: MAX_PATIENTS }),
      scheduleFor(deps, { practitionerId: o.practitionerId, timeZone: o.timeZone, now: o.now }),
    ]);
    for (const t of teams) {
      const pid = t.subject?.reference?.startsWith('Patient/') ? t.subject.reference.slice(8) : undefined;
      if (pid) list.add(pid, 'care-team', careTeamWhy(t, ref));
    }
    for (const item of today.items) {
      if (!item.patient || item.status === 'cancelled' || item.status === 'entered-in-error') continue;
      const at = item.start ? ` at ${item.start.slice(11, 16)}` : '';
      list.add(item.patient.id, 'appointment-today', `appointment today${at}`, item.start);
    }
  }
  const ids = list.ids();
  const truncated = ids.length > MAX_PATIENTS;
  const patients = await patientsById(deps, ids.slice(0, MAX_PATIENTS));
  return { patients: list.build(patients), truncated };
}

const NEXT_STATUS: Record<Exclude<AppointmentAction, 'start-visit'>, fhir4.Appointment['status']> = {
  'check-in': 'checked-in',
  arrived: 'arrived',
};

/** The appointment and its patient, for the access check the router makes before acting. */
export async function appointmentWithPatient(
  deps: Pick<AppDeps, 'fhir'>,
  appointmentId: string,
): Promise<{ appointment: fhir4.Appointment; patientId: string }> {
  const appointment = await readOr404(deps, 'Appointment', appointmentId);
  const patientId = appointmentPatientId(appointment);
  if (!patientId)
    throw new AppError(422, 'APPOINTMENT_WITHOUT_PATIENT', 'This appointment names no patient', { appointmentId });
  return { appointment, patientId };
}

async function setStatus(
  deps: Pick<AppDeps, 'fhir'>,
  a: fhir4.Appointment,
  status: fhir4.Appointment['status'],
): Promise<fhir4.Appointment> {
  if (a.status === status) return a;
  // If-Match: a front desk and a nurse acting on the same appointment at once must not overwrite each other.
  return deps.fhir.update<fhir4.Appointment>({ ...a, status }, { ifMatch: a.meta?.versionId });
}

export async function actOnAppointment(
  deps: Pick<AppDeps, 'fhir'>,
  o: {
    appointment: fhir4.Appointment;
    patientId: string;
    action: AppointmentAction;
    practitionerId?: string;
    now?: Date;
  },
): Promise<{ appointment: fhir4.Appointment; encounter?: fhir4.Encounter; patient?: fhir4.Patient }> {
  const a = o.appointment;
  const existing = (
    await deps.fhir.searchResources('Encounter', { appointment: `Appointment/${a.id}`, status: 'in-progress' })
  )[0];
  if (o.action === 'start-visit' && existing) return { appointment: a, encounter: existing };
  // Asking for the state the appointment is already in is answered as done (a double click, two front desks).
  const already = o.action !== 'start-visit' && a.status === NEXT_STATUS[o.action];
  if (!actionAllowed(o.action, a.status) && !already) {
    throw conflict(
      `An appointment that is ${a.status} cannot be ${o.action === 'start-visit' ? 'started' : o.action === 'arrived' ? 'marked arrived' : 'checked in'}`,
      { status: a.status, action: o.action },
      'APPOINTMENT_STATE',
    );
  }
  if (o.action !== 'start-visit')
    return { appointment: await setStatus(deps, a, NEXT_STATUS[o.action]), encounter: existing };
  const encounter = await deps.fhir.create(
    visitEncounter({
      appointment: a,
      patientId: o.patientId,
      practitionerId: o.practitionerId,
      now: o.now ?? new Date(),
    }),
    // Two clicks on "start visit" must not open two encounters.
    { ifNoneExist: `appointment=Appointment/${a.id}&status=in-progress` },
  );
  return { appointment: await setStatus(deps, a, 'arrived'), encounter };
}

export async function encountersOfPatient(
  deps: Pick<AppDeps, 'fhir'>,
  patientId: string,
  status?: string,
): Promise<EncounterSummary[]> {
  const found = await deps.fhir.searchResources('Encounter', {
    patient: `Patient/${patientId}`,
    ...(status ? { status } : {}),
    _sort: '-date',
    _count: 50,
  });
  return found.map(encounterSummary);
}
