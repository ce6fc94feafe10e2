import type { AppDeps } from '../../core/deps';
import { idFromReference } from '../../core/fhir/fhir-kit';
import { SCHEDULE_SYSTEM, SLOT_SYSTEM, practitionerOfSchedule } from './appointment-fhir';
import type { AppointmentsConfig } from './appointments.config';
import { clinicSlots, slotKey, slotsToCreate, type ClinicHours, type Interval } from './slot-plan';

/**
 * Keeps every active Schedule offering free Slots over the rolling horizon. It runs in the API rather than only in
 * the demo-data loader because the horizon moves every day: a server up for three weeks must still offer the
 * next fourteen days. Creates are conditional on the slot's identifier (schedule + start), so two API instances
 * or two runs never make a slot twice, and times already taken (booked appointments, any existing slot, free or
 * busy) are skipped.
 */

const SEARCH_MAX = 1000;
const CHUNK = 25;
const TOP_UP_EVERY_MS = 6 * 3_600_000;
const DEMO_LOCATION = 'urn:wintehr:demo|location-main-campus';
const TAKEN_STATUSES = 'booked,arrived,checked-in,pending,proposed';

const interval = (start?: string, end?: string): Interval | undefined =>
  start && end ? { start: new Date(start), end: new Date(end) } : undefined;

export function scheduleResource(o: {
  practitioner: fhir4.Reference;
  location?: fhir4.Reference;
  serviceType: string;
}): fhir4.Schedule {
  const practitionerId = idFromReference(o.practitioner.reference, 'Practitioner');
  return {
    resourceType: 'Schedule',
    identifier: [{ system: SCHEDULE_SYSTEM, value: `practitioner-${practitionerId}` }],
    active: true,
    serviceType: [{ text: o.serviceType }],
    actor: [o.practitioner, ...(o.location ? [o.location] : [])],
  };
}

/** A bookable schedule for a practitioner at a location (idempotent on the practitioner). */
export async function ensureSchedule(
  deps: Pick<AppDeps, 'fhir'>,
  o: { practitioner: fhir4.Reference; location?: fhir4.Reference; serviceType: string },
): Promise<fhir4.Schedule> {
  const s = scheduleResource(o);
  const id = s.identifier![0]!;
  return deps.fhir.create(s, { ifNoneExist: `identifier=${id.system}|${id.value}` });
}

/** Demo mode: every demo physician's Practitioner gets a family-practice schedule at the main campus. */
export async function ensureDemoSchedules(deps: Pick<AppDeps, 'fhir' | 'pg'>): Promise<number> {
  const { rows } = await deps.pg.query<{ id: string }>(
    `SELECT DISTINCT fhir_practitioner_id AS id FROM users
      WHERE is_demo AND role = 'physician' AND fhir_practitioner_id IS NOT NULL AND NOT disabled`,
  );
  if (!rows.length) return 0;
  const location = (await deps.fhir.searchResources('Location', { identifier: DEMO_LOCATION, _count: 1 }))[0];
  for (const r of rows)
    await ensureSchedule(deps, {
      practitioner: { reference: `Practitioner/${r.id}` },
      ...(location?.id ? { location: { reference: `Location/${location.id}`, display: location.name } } : {}),
      serviceType: 'Family practice',
    });
  return rows.length;
}

/** Creates the missing free slots of one schedule; returns how many were created. */
export async function topUpSchedule(
  deps: Pick<AppDeps, 'fhir'>,
  schedule: fhir4.Schedule,
  o: { now: Date; days: number; timeZone: string; hours?: ClinicHours },
): Promise<number> {
  const wanted = clinicSlots(o);
  if (!wanted.length || !schedule.id) return 0;
  const from = wanted[0]!.start.toISOString();
  const to = wanted[wanted.length - 1]!.end.toISOString();
  const practitionerId = practitionerOfSchedule(schedule);
  const [slots, appointments] = await Promise.all([
    deps.fhir.searchResources('Slot', {
      schedule: `Schedule/${schedule.id}`,
      start: [`ge${from}`, `lt${to}`],
      _count: SEARCH_MAX,
    }),
    practitionerId
      ? deps.fhir.searchResources('Appointment', {
          practitioner: `Practitioner/${practitionerId}`,
          date: [`ge${from}`, `lt${to}`],
          status: TAKEN_STATUSES,
          _count: SEARCH_MAX,
        })
      : Promise.resolve([] as fhir4.Appointment[]),
  ]);
  const taken = [...slots.map((s) => interval(s.start, s.end)), ...appointments.map((a) => interval(a.start, a.end))];
  const create = slotsToCreate(
    wanted,
    taken.filter((t): t is Interval => !!t),
  );
  for (let i = 0; i < create.length; i += CHUNK) {
    await deps.fhir.transaction({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: create.slice(i, i + CHUNK).map((w) => {
        const key = slotKey(schedule.id!, w.start);
        const slot: fhir4.Slot = {
          resourceType: 'Slot',
          identifier: [{ system: SLOT_SYSTEM, value: key }],
          schedule: { reference: `Schedule/${schedule.id}` },
          ...(schedule.serviceType ? { serviceType: schedule.serviceType } : {}),
          status: 'free',
          start: w.start.toISOString(),
          end: w.end.toISOString(),
        };
        return {
          resource: slot,
          request: { method: 'POST', url: 'Slot', ifNoneExist: `identifier=${SLOT_SYSTEM}|${key}` },
        };
      }),
    });
  }
  return create.length;
}

/** Tops up every active schedule; returns the slots created. */
export async function topUpAll(
  deps: Pick<AppDeps, 'fhir' | 'pg' | 'config'>,
  cfg: Pick<AppointmentsConfig, 'horizonDays'>,
  now = new Date(),
): Promise<number> {
  if (deps.config.demoMode) await ensureDemoSchedules(deps);
  const schedules = await deps.fhir.searchResources('Schedule', { active: 'true', _count: 200 });
  let created = 0;
  for (const s of schedules)
    created += await topUpSchedule(deps, s, { now, days: cfg.horizonDays, timeZone: deps.config.clinical.timeZone });
  return created;
}

/** At start (once HAPI and the demo accounts are likely there) and every six hours; stops on close. */
export function startSlotSupply(deps: AppDeps, cfg: AppointmentsConfig): void {
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    if (stopped) return;
    topUpAll(deps, cfg)
      .then((n) => {
        if (n) deps.logger.info({ created: n }, 'appointments: free slots topped up');
      })
      .catch((err: Error) => {
        deps.logger.warn({ err: { message: err.message } }, 'appointments: slot top-up failed; retrying in a minute');
        retry = setTimeout(run, 60_000);
        retry.unref();
      });
  };
  // A few seconds in: the demo accounts (whose physicians get schedules) are created just after the API listens.
  const first = setTimeout(run, 3_000);
  const every = setInterval(run, TOP_UP_EVERY_MS);
  first.unref();
  every.unref();
  deps.onClose(async () => {
    stopped = true;
    clearTimeout(first);
    clearTimeout(retry);
    clearInterval(every);
  });
}
