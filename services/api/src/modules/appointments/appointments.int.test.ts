import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { io as connect, type Socket } from 'socket.io-client';
import request from 'supertest';
import type { Availability, AppointmentChanged, PortalAppointment, PortalAppointments } from '@wintehr/contracts';
import { attachRealtime, SOCKET_PATH } from '../../core/realtime';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';
import { realtimeChannels } from '../manifest';
import { appointmentReminders, sendReminder } from './reminders';
import { moduleConfig } from './appointments.router';
import type { ClinicHours } from './slot-plan';
import { ensureSchedule, topUpSchedule } from './slot-supply';

/** Self-scheduling against the real HAPI, PostgreSQL and Redis: booking, races, cancel, reschedule, access, live. */
jest.setTimeout(90_000);

let h: Awaited<ReturnType<typeof buildTestApp>>;
let server: Server;
let rt: ReturnType<typeof attachRealtime>;
let url: string;
let practitionerId: string;
let doc: TestUser;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let schedule: fhir4.Schedule;
const sockets: Socket[] = [];

// Every day of the week: the test must find slots whatever day it runs.
const ALL_DAY: ClinicHours = {
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  sessions: [{ start: '08:00', end: '16:00' }],
  slotMinutes: 20,
};

const patient = async (family: string) =>
  createTestUser(h.deps, { role: 'patient', patientId: await createTestPatient(h.deps, family) });

beforeAll(async () => {
  h = await buildTestApp();
  server = await new Promise<Server>((resolve) => {
    const s = h.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  rt = attachRealtime(server, h.deps, realtimeChannels());
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  practitionerId = await createTestPractitioner(h.deps);
  doc = await createTestUser(h.deps, { role: 'physician', practitionerId });
  [alice, bob, carol] = await Promise.all([patient('Alice'), patient('Bob'), patient('Carol')]);
  schedule = await ensureSchedule(h.deps, {
    practitioner: { reference: `Practitioner/${practitionerId}` },
    serviceType: 'Family practice',
  });
  // From tomorrow on: every slot is well outside the cancellation cut-off.
  await topUpSchedule(h.deps, schedule, {
    now: new Date(Date.now() + 86_400_000),
    days: 3,
    timeZone: h.deps.config.clinical.timeZone,
    hours: ALL_DAY,
  });
});

afterAll(async () => {
  // Retire the test schedule: HAPI is shared, and the portal of a dev stack would otherwise offer its times.
  if (schedule?.id)
    await h.deps.fhir
      .update<fhir4.Schedule>({ ...(await h.deps.fhir.read('Schedule', schedule.id)), active: false })
      .catch(() => undefined);
  for (const s of sockets) s.disconnect();
  await rt?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await h?.close();
});

async function freeSlots(user: TestUser = alice): Promise<Availability['slots']> {
  const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const res = await request(h.app)
    .get('/api/portal/appointments/availability')
    .query({ practitioner: practitionerId, from })
    .set(user.auth)
    .expect(200);
  return (res.body as Availability).slots;
}

const book = (user: TestUser, slotId: string) =>
  request(h.app).post('/api/portal/appointments').set(user.auth).send({ slotId, reason: 'Persistent cough' });

describe('availability', () => {
  it('lists free slots of the schedule with the provider’s name, soonest first', async () => {
    const slots = await freeSlots();
    expect(slots.length).toBeGreaterThanOrEqual(24);
    expect(slots[0]).toMatchObject({ practitionerId, practitionerName: 'Pat Tester', minutes: 20 });
    const starts = slots.map((s) => Date.parse(s.start));
    expect([...starts].sort((x, y) => x - y)).toEqual(starts);
  });

  it('topping up again creates nothing (idempotent)', async () => {
    const again = await topUpSchedule(h.deps, schedule, {
      now: new Date(Date.now() + 86_400_000),
      days: 3,
      timeZone: h.deps.config.clinical.timeZone,
      hours: ALL_DAY,
    });
    expect(again).toBe(0);
  });

  it('refuses a range that is backwards or too long with 400', async () => {
    await request(h.app)
      .get('/api/portal/appointments/availability')
      .query({ from: '2026-12-10', to: '2026-12-01' })
      .set(alice.auth)
      .expect(400);
  });
});

describe('booking', () => {
  it('books: 201, the slot is busy, the appointment names patient, practitioner and slot; it is mine', async () => {
    const [slot] = await freeSlots();
    const res = await book(alice, slot!.slotId).expect(201);
    const booked = res.body as PortalAppointment;
    expect(booked).toMatchObject({ status: 'booked', practitionerId, start: slot!.start, reason: 'Persistent cough' });
    const stored = await h.deps.fhir.read('Slot', slot!.slotId);
    expect(stored.status).toBe('busy');
    const a = await h.deps.fhir.read('Appointment', booked.id);
    expect(a.slot?.[0]?.reference).toBe(`Slot/${slot!.slotId}`);
    expect(a.participant.map((p) => p.actor?.reference)).toEqual([
      `Patient/${alice.user.fhir_patient_id}`,
      `Practitioner/${practitionerId}`,
    ]);
    expect((await freeSlots()).map((s) => s.slotId)).not.toContain(slot!.slotId);
    const mine = (await request(h.app).get('/api/portal/appointments').set(alice.auth).expect(200))
      .body as PortalAppointments;
    expect(mine.upcoming.map((x) => x.id)).toContain(booked.id);
    // A reminder is queued for it (delayed job keyed by the appointment, carrying its id only).
    const job = await appointmentReminders(h.deps, moduleConfig(h.deps)).pending(booked.id);
    expect(job?.data).toEqual({ appointmentId: booked.id });
  });

  it('patients racing for one slot: exactly one 201, every other one 409 "just taken" (3 rounds of 3)', async () => {
    for (let round = 0; round < 3; round++) {
      const racers = await Promise.all([patient('Racer'), patient('Racer'), patient('Racer')]);
      const [slot] = await freeSlots();
      const answers = await Promise.all(racers.map((r) => book(r, slot!.slotId)));
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      for (const loser of answers.filter((r) => r.status === 409)) {
        expect(loser.body.error.code).toBe('SLOT_TAKEN');
        expect(loser.body.error.message).toMatch(/just taken/);
      }
      const booked = await h.deps.fhir.searchResources('Appointment', { slot: `Slot/${slot!.slotId}` });
      expect(booked).toHaveLength(1);
    }
  });

  it('a patient at the booking limit gets 422', async () => {
    const dave = await patient('Dave');
    const max = moduleConfig(h.deps).maxUpcoming;
    const slots = await freeSlots();
    for (let i = 0; i < max; i++) await book(dave, slots[i]!.slotId).expect(201);
    const over = await book(dave, slots[max]!.slotId).expect(422);
    expect(over.body.error.code).toBe('BOOKING_LIMIT_REACHED');
    expect((await h.deps.fhir.read('Slot', slots[max]!.slotId)).status).toBe('free');
  });

  it('bookings sent at once (double click, two tabs) never pass the limit together', async () => {
    const erin = await patient('Erin');
    const max = moduleConfig(h.deps).maxUpcoming;
    const slots = (await freeSlots()).slice(0, max + 2);
    const answers = await Promise.all(slots.map((s) => book(erin, s.slotId)));
    expect(answers.map((a) => a.status).sort()).toEqual([
      ...Array<number>(max).fill(201),
      ...Array<number>(2).fill(422),
    ]);
    const stored = await h.deps.fhir.searchResources('Appointment', {
      patient: `Patient/${erin.user.fhir_patient_id}`,
    });
    expect(stored.filter((a) => a.status === 'booked')).toHaveLength(max);
  });
});

describe('timing', () => {
  it('books and cancels 8 visits one after another; prints p50 and max of each', async () => {
    const people = await Promise.all([patient('Timer'), patient('Timer'), patient('Timer'), patient('Timer')]);
    const slots = (await freeSlots()).slice(0, 8);
    const bookMs: number[] = [];
    const cancelMs: number[] = [];
    for (const [i, s] of slots.entries()) {
      const who = people[i % people.length]!;
      let t = performance.now();
      const a = (await book(who, s.slotId).expect(201)).body as PortalAppointment;
      bookMs.push(performance.now() - t);
      t = performance.now();
      await request(h.app)
        .post(`/api/portal/appointments/${a.id}/cancel`)
        .set(who.auth)
        .send({ reason: 'timing' })
        .expect(200);
      cancelMs.push(performance.now() - t);
    }
    const stat = (xs: number[]) => {
      const v = [...xs].sort((x, y) => x - y);
      return `p50 ${v[Math.floor(v.length / 2)]!.toFixed(0)} ms, max ${v[v.length - 1]!.toFixed(0)} ms`;
    };
    process.stdout.write(`portal booking: ${stat(bookMs)}; cancel: ${stat(cancelMs)}\n`);
    expect(bookMs).toHaveLength(8);
  });
});

describe('cancel and reschedule', () => {
  it('cancel frees the slot, records the reason and drops the reminder', async () => {
    const [slot] = await freeSlots();
    const booked = (await book(alice, slot!.slotId).expect(201)).body as PortalAppointment;
    const res = await request(h.app)
      .post(`/api/portal/appointments/${booked.id}/cancel`)
      .set(alice.auth)
      .send({ reason: 'Feeling better' })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelationReason: 'Feeling better', changeable: false });
    expect((await h.deps.fhir.read('Slot', slot!.slotId)).status).toBe('free');
    expect(await appointmentReminders(h.deps, moduleConfig(h.deps)).pending(booked.id)).toBeUndefined();
    await request(h.app)
      .post(`/api/portal/appointments/${booked.id}/cancel`)
      .set(alice.auth)
      .send({ reason: 'again' })
      .expect(409);
  });

  it('cancel within the cut-off is refused with 422 and a clear message', async () => {
    const soon = await h.deps.fhir.create<fhir4.Appointment>({
      resourceType: 'Appointment',
      status: 'booked',
      start: new Date(Date.now() + 30 * 60_000).toISOString(),
      end: new Date(Date.now() + 50 * 60_000).toISOString(),
      participant: [{ actor: { reference: `Patient/${alice.user.fhir_patient_id}` }, status: 'accepted' }],
    });
    const res = await request(h.app)
      .post(`/api/portal/appointments/${soon.id}/cancel`)
      .set(alice.auth)
      .send({ reason: 'Late' })
      .expect(422);
    expect(res.body.error.message).toMatch(/within 2 hours/);
  });

  it('reschedule is one transaction: old cancelled and its slot free, new booked and its slot busy', async () => {
    const [a, b] = await freeSlots();
    const booked = (await book(alice, a!.slotId).expect(201)).body as PortalAppointment;
    const moved = (
      await request(h.app)
        .post(`/api/portal/appointments/${booked.id}/reschedule`)
        .set(alice.auth)
        .send({ slotId: b!.slotId })
        .expect(201)
    ).body as PortalAppointment;
    expect(moved).toMatchObject({ status: 'booked', start: b!.start, reason: 'Persistent cough' });
    expect((await h.deps.fhir.read('Appointment', booked.id)).status).toBe('cancelled');
    expect((await h.deps.fhir.read('Slot', a!.slotId)).status).toBe('free');
    expect((await h.deps.fhir.read('Slot', b!.slotId)).status).toBe('busy');
  });

  it('reschedule onto a slot taken meanwhile changes nothing (409; the old booking stays)', async () => {
    const erin = await patient('Erin');
    const [a, b] = await freeSlots();
    const booked = (await book(erin, a!.slotId).expect(201)).body as PortalAppointment;
    await book(bob, b!.slotId).expect(201);
    await request(h.app)
      .post(`/api/portal/appointments/${booked.id}/reschedule`)
      .set(erin.auth)
      .send({ slotId: b!.slotId })
      .expect(409);
    expect((await h.deps.fhir.read('Appointment', booked.id)).status).toBe('booked');
    expect((await h.deps.fhir.read('Slot', a!.slotId)).status).toBe('busy');
  });
});

describe('access', () => {
  it("another patient's appointment is a 404, exactly like an unknown one", async () => {
    const frank = await patient('Frank');
    const [slot] = await freeSlots();
    const booked = (await book(frank, slot!.slotId).expect(201)).body as PortalAppointment;
    const theirs = await request(h.app)
      .post(`/api/portal/appointments/${booked.id}/cancel`)
      .set(bob.auth)
      .send({ reason: 'mischief' })
      .expect(404);
    const unknown = await request(h.app)
      .post('/api/portal/appointments/999999999/cancel')
      .set(bob.auth)
      .send({ reason: 'mischief' })
      .expect(404);
    expect(theirs.body.error.code).toBe(unknown.body.error.code);
    expect(theirs.body.error.message.replace(booked.id, 'X')).toBe(
      unknown.body.error.message.replace('999999999', 'X'),
    );
    expect((await h.deps.fhir.read('Appointment', booked.id)).status).toBe('booked');
  });

  it('staff tokens on the portal routes get 403; no token 401', async () => {
    await request(h.app).get('/api/portal/appointments').set(doc.auth).expect(403);
    await request(h.app).post('/api/portal/appointments').set(doc.auth).send({ slotId: '1', reason: 'x' }).expect(403);
    await request(h.app).get('/api/portal/appointments').expect(401);
  });

  it('every call is audited with the patient', async () => {
    await request(h.app).get('/api/portal/appointments').set(carol.auth).expect(200);
    await new Promise((r) => setTimeout(r, 500));
    const { rows } = await h.deps.pg.query(
      `SELECT action, outcome FROM audit_log WHERE patient_id = $1 AND action = 'portal.appointments.read'`,
      [carol.user.fhir_patient_id],
    );
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('practice real time', () => {
  it("a clinician's socket hears appointment:created when a patient books (ids only)", async () => {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(url, {
        path: SOCKET_PATH,
        auth: { token: doc.token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(s);
      s.once('ready', () => resolve(s));
      s.once('connect_error', reject);
    });
    const heard: AppointmentChanged[] = [];
    socket.on('appointment:created', (m: AppointmentChanged) => heard.push(m));
    const [slot] = await freeSlots();
    const booked = (await book(carol, slot!.slotId).expect(201)).body as PortalAppointment;
    const deadline = Date.now() + 5_000;
    while (!heard.some((m) => m.appointmentId === booked.id) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(heard).toContainEqual({ appointmentId: booked.id, change: 'booked' });
  });
});

describe('reminders', () => {
  it('the due job sends when, with whom and where to the patient’s email, never the reason; not once cancelled', async () => {
    const pid = await createTestPatient(h.deps, 'Remindme');
    const p = await h.deps.fhir.read('Patient', pid);
    await h.deps.fhir.update<fhir4.Patient>({ ...p, telecom: [{ system: 'email', value: 'remind.me@example.test' }] });
    const grace = await createTestUser(h.deps, { role: 'patient', patientId: pid });
    const [slot] = await freeSlots();
    const booked = (await book(grace, slot!.slotId).expect(201)).body as PortalAppointment;
    const sent: { channel: string; to: string; text: string }[] = [];
    const deps = { ...h.deps, notify: { send: async (m: (typeof sent)[number]) => void sent.push(m) } };
    expect(await sendReminder(deps, booked.id)).toBe('sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: 'email', to: 'remind.me@example.test' });
    expect(sent[0]!.text).toContain('Pat Tester');
    expect(sent[0]!.text).not.toContain('cough');
    await request(h.app)
      .post(`/api/portal/appointments/${booked.id}/cancel`)
      .set(grace.auth)
      .send({ reason: 'No longer needed' })
      .expect(200);
    expect(await sendReminder(deps, booked.id)).toBe('not-booked');
    expect(sent).toHaveLength(1);
  });
});
