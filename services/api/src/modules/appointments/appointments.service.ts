import type { Availability, AvailabilityQuery, PortalAppointment, PortalAppointments } from '@wintehr/contracts';
import { withAdvisoryLock } from '../../core/db/transaction';
import type { AppDeps } from '../../core/deps';
import { AppError, ConflictError, badRequest, notFound } from '../../core/errors';
import { readOr404 } from '../../core/fhir/fhir-kit';
import { addDays, localDate, localDayRange } from '../schedule/day';
import {
  appointmentPatient,
  appointmentSlotId,
  bookingBundle,
  cancellationBundle,
  createdAppointmentId,
  newAppointment,
  practitionerOfSchedule,
  rescheduleBundle,
  scheduleRef,
  serviceTypeText,
} from './appointment-fhir';
import { availableSlot, portalAppointment, practitionerName, splitAppointments, type Names } from './appointment-view';
import type { AppointmentsConfig } from './appointments.config';
import { assertBookingAllowed, assertChangeable, slotBookable } from './booking-rules';

type Deps = Pick<AppDeps, 'fhir' | 'config'>;

const MAX_RANGE_DAYS = 31;
const MAX_SLOTS = 1000;
const MAX_APPOINTMENTS = 200;
const UPCOMING = 'booked,pending,proposed,arrived,checked-in';

export const slotTaken = () =>
  new AppError(409, 'SLOT_TAKEN', 'That time was just taken; please choose another time', undefined);

async function names(deps: Pick<AppDeps, 'fhir'>, practitioners: Iterable<string>, locations: Iterable<string>) {
  const [ps, ls] = await Promise.all([
    deps.fhir.readMany('Practitioner', practitioners, { elements: 'name' }),
    deps.fhir.readMany('Location', locations, { elements: 'name' }),
  ]);
  const pn: Names = new Map();
  for (const [id, p] of ps) {
    const n = practitionerName(p);
    if (n) pn.set(id, n);
  }
  const ln: Names = new Map();
  for (const [id, l] of ls) if (l.name) ln.set(id, l.name);
  return { practitioners: pn, locations: ln };
}

const refIds = (refs: (string | undefined)[], type: string) =>
  refs.filter((r): r is string => !!r?.startsWith(`${type}/`)).map((r) => r.slice(type.length + 1));

export async function availability(deps: Deps, q: AvailabilityQuery, now = new Date()): Promise<Availability> {
  const timeZone = deps.config.clinical.timeZone;
  const from = q.from ?? localDate(now, timeZone);
  const to = q.to ?? addDays(from, 13);
  if (to < from) throw badRequest('"to" must not be before "from"', [{ field: 'query.to', message: 'before from' }]);
  if (to > addDays(from, MAX_RANGE_DAYS - 1))
    throw badRequest(`Ask for at most ${MAX_RANGE_DAYS} days at a time`, [{ field: 'query.to', message: 'too far' }]);
  const start = new Date(Math.max(localDayRange(from, timeZone).start.getTime(), now.getTime()));
  const end = localDayRange(to, timeZone).end;

  const all = await deps.fhir.searchResources('Schedule', {
    active: 'true',
    ...(q.practitioner ? { actor: `Practitioner/${q.practitioner}` } : {}),
    _count: 200,
  });
  const wanted = q.serviceType?.toLowerCase();
  const schedules = all.filter(
    (s) => practitionerOfSchedule(s) && (!wanted || serviceTypeText(s.serviceType)?.toLowerCase() === wanted),
  );
  const refs = all.flatMap((s) => s.actor.map((a) => a.reference));
  const n = await names(deps, refIds(refs, 'Practitioner'), refIds(refs, 'Location'));
  const providers = new Map<string, { practitionerId: string; name: string; serviceTypes: string[] }>();
  for (const s of all) {
    const id = practitionerOfSchedule(s);
    if (!id) continue;
    const p = providers.get(id) ?? {
      practitionerId: id,
      name: n.practitioners.get(id) ?? 'Clinician',
      serviceTypes: [],
    };
    const t = serviceTypeText(s.serviceType);
    if (t && !p.serviceTypes.includes(t)) p.serviceTypes.push(t);
    providers.set(id, p);
  }
  if (!schedules.length || start >= end) return { timeZone, from, to, providers: [...providers.values()], slots: [] };

  const slots = await deps.fhir.searchResources('Slot', {
    schedule: schedules.map((s) => `Schedule/${s.id}`).join(','),
    status: 'free',
    start: [`ge${start.toISOString()}`, `lt${end.toISOString()}`],
    _sort: 'start',
    _count: MAX_SLOTS,
  });
  const byId = new Map(schedules.map((s) => [s.id!, s]));
  const out = slots.flatMap((slot) => {
    const s = byId.get(scheduleRef(slot) ?? '');
    const v = s && availableSlot(slot, s, n.practitioners, n.locations);
    return v ? [v] : [];
  });
  return { timeZone, from, to, providers: [...providers.values()], slots: out };
}

async function views(
  deps: Pick<AppDeps, 'fhir'>,
  list: fhir4.Appointment[],
  cfg: AppointmentsConfig,
  now: Date,
): Promise<PortalAppointment[]> {
  const refs = list.flatMap((a) => a.participant.map((p) => p.actor?.reference));
  const n = await names(deps, refIds(refs, 'Practitioner'), refIds(refs, 'Location'));
  return list.map((a) => portalAppointment(a, n.practitioners, n.locations, cfg, now));
}

export async function myAppointments(
  deps: Deps,
  patientId: string,
  cfg: AppointmentsConfig,
  now = new Date(),
): Promise<PortalAppointments> {
  const list = await deps.fhir.searchResources('Appointment', {
    patient: `Patient/${patientId}`,
    _sort: '-date',
    _count: MAX_APPOINTMENTS,
  });
  const { upcoming, past } = splitAppointments(await views(deps, list, cfg, now), now);
  return {
    timeZone: deps.config.clinical.timeZone,
    upcoming,
    past,
    maxUpcoming: cfg.maxUpcoming,
    cancelCutoffHours: cfg.cancelCutoffHours,
  };
}

/** The caller's own appointment; anyone else's answers exactly like one that does not exist. */
export async function ownAppointment(deps: Pick<AppDeps, 'fhir'>, patientId: string, id: string) {
  const a = await readOr404(deps, 'Appointment', id);
  if (appointmentPatient(a) !== patientId) throw notFound('Appointment', id);
  return a;
}

/** A slot the patient may take, with its schedule; a slot that is gone or taken is the same 409 for the patient. */
async function bookableSlot(deps: Pick<AppDeps, 'fhir'>, slotId: string, now: Date) {
  const slot = await readOr404(deps, 'Slot', slotId).catch((err: unknown) => {
    if (err instanceof AppError && err.status === 404)
      throw new AppError(404, 'SLOT_NOT_FOUND', 'That time is not offered; please choose another', { slotId });
    throw err;
  });
  if (!slotBookable(slot, now)) throw slotTaken();
  const scheduleId = scheduleRef(slot);
  const schedule = scheduleId ? await readOr404(deps, 'Schedule', scheduleId) : undefined;
  if (!schedule?.active || !practitionerOfSchedule(schedule))
    throw new AppError(404, 'SLOT_NOT_FOUND', 'That time is not offered; please choose another', { slotId });
  return { slot, schedule };
}

async function upcomingCount(deps: Pick<AppDeps, 'fhir'>, patientId: string, now: Date): Promise<number> {
  const list = await deps.fhir.searchResources('Appointment', {
    patient: `Patient/${patientId}`,
    status: UPCOMING,
    date: `ge${now.toISOString()}`,
    _count: MAX_APPOINTMENTS,
    _elements: 'id',
  });
  return list.length;
}

/** HAPI refusing the If-Match (or the losing side of a race on the same row) means someone else took the slot. */
async function commit(
  deps: Pick<AppDeps, 'fhir'>,
  bundle: fhir4.Bundle,
  onConflict: () => AppError = slotTaken,
): Promise<fhir4.Bundle> {
  try {
    return await deps.fhir.transaction(bundle);
  } catch (err) {
    if (err instanceof ConflictError) throw onConflict();
    throw err;
  }
}

const changedMeanwhile = () =>
  new AppError(409, 'APPOINTMENT_CHANGED', 'This appointment changed meanwhile; reload and try again');

async function slotOf(deps: Pick<AppDeps, 'fhir'>, a: fhir4.Appointment): Promise<fhir4.Slot | undefined> {
  const id = appointmentSlotId(a);
  if (!id) return undefined;
  return deps.fhir.read('Slot', id).catch((err: unknown) => {
    if (err instanceof AppError && err.status === 404) return undefined;
    throw err;
  });
}

/**
 * Count-then-book runs under a per-patient lock: two bookings sent at once (a double click, two tabs) would otherwise
 * both count the same upcoming appointments and together pass the limit.
 */
export async function book(
  deps: Deps & Pick<AppDeps, 'pg'>,
  o: { patientId: string; slotId: string; reason: string; cfg: AppointmentsConfig; now?: Date },
): Promise<PortalAppointment> {
  const now = o.now ?? new Date();
  const { slot, schedule } = await bookableSlot(deps, o.slotId, now);
  const draft = newAppointment({ slot, schedule, patientId: o.patientId, reason: o.reason, now });
  const stored = await withAdvisoryLock(deps.pg, `appointments.book:${o.patientId}`, async () => {
    assertBookingAllowed(await upcomingCount(deps, o.patientId, now), o.cfg);
    return commit(deps, bookingBundle(slot, draft));
  });
  const id = createdAppointmentId(stored);
  if (!id) throw new AppError(502, 'HAPI_UNEXPECTED', 'The booking was stored but HAPI did not name it');
  return (await views(deps, [{ ...draft, id }], o.cfg, now))[0]!;
}

export async function cancel(
  deps: Deps,
  o: { patientId: string; appointmentId: string; reason: string; cfg: AppointmentsConfig; now?: Date },
): Promise<PortalAppointment> {
  const now = o.now ?? new Date();
  const a = await ownAppointment(deps, o.patientId, o.appointmentId);
  assertChangeable(a, o.cfg, now, 'cancel');
  await commit(deps, cancellationBundle(a, await slotOf(deps, a), o.reason), changedMeanwhile);
  const stored = await deps.fhir.read('Appointment', a.id!);
  return (await views(deps, [stored], o.cfg, now))[0]!;
}

export async function reschedule(
  deps: Deps,
  o: { patientId: string; appointmentId: string; slotId: string; cfg: AppointmentsConfig; now?: Date },
): Promise<{ appointment: PortalAppointment; previous: fhir4.Appointment }> {
  const now = o.now ?? new Date();
  const old = await ownAppointment(deps, o.patientId, o.appointmentId);
  assertChangeable(old, o.cfg, now, 'reschedule');
  if (appointmentSlotId(old) === o.slotId)
    throw new AppError(409, 'SAME_SLOT', 'That is already the time of this appointment', { slotId: o.slotId });
  const { slot, schedule } = await bookableSlot(deps, o.slotId, now);
  const reason = old.reasonCode?.[0]?.text ?? old.description ?? 'Rescheduled visit';
  const draft = newAppointment({ slot, schedule, patientId: o.patientId, reason, now });
  const id = createdAppointmentId(
    await commit(deps, rescheduleBundle({ old, oldSlot: await slotOf(deps, old), newSlot: slot, appointment: draft })),
  );
  if (!id) throw new AppError(502, 'HAPI_UNEXPECTED', 'The new appointment was stored but HAPI did not name it');
  return { appointment: (await views(deps, [{ ...draft, id }], o.cfg, now))[0]!, previous: old };
}
