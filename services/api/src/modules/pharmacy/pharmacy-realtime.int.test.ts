import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { io as connect, type Socket } from 'socket.io-client';
import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createPharmacyWorld, medicationRequest, type PharmacyWorld } from './pharmacy.int-fixtures';
import type { QueueChangedMessage } from '@wintehr/contracts';
import { attachRealtime, SOCKET_PATH } from '../../core/realtime';
import { realtimeChannels } from '../manifest';

/**
 * Two API instances (two HTTP servers, two sets of connections) sharing Redis: a queue change caused through
 * instance A reaches a pharmacist's socket connected to instance B within 1 s.
 */
type Instance = Awaited<ReturnType<typeof buildTestApp>> & {
  server: Server;
  url: string;
  rt: ReturnType<typeof attachRealtime>;
};
let a: Instance;
let b: Instance;
let w: PharmacyWorld;
const sockets: Socket[] = [];

async function instance(): Promise<Instance> {
  const h = await buildTestApp();
  const server = await new Promise<Server>((resolve) => {
    const s = h.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const rt = attachRealtime(server, h.deps, realtimeChannels());
  return { ...h, server, rt, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function open(url: string, token: string | undefined): Promise<{ socket: Socket; rooms: string[] }> {
  return new Promise((resolve, reject) => {
    const socket = connect(url, {
      path: SOCKET_PATH,
      auth: token ? { token } : {},
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    socket.once('ready', (m: { rooms: string[] }) => resolve({ socket, rooms: m.rooms }));
    socket.once('connect_error', (err) => reject(err));
  });
}

function next(
  socket: Socket,
  pred: (m: QueueChangedMessage) => boolean,
  timeoutMs = 15_000, // arrival is the assertion; latency is printed, and measured in scripts/bench
): Promise<{ message: QueueChangedMessage; at: number }> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      socket.off('pharmacy:queue', on);
      reject(new Error('no message within timeout'));
    }, timeoutMs);
    const on = (m: QueueChangedMessage) => {
      if (pred(m)) {
        clearTimeout(t);
        socket.off('pharmacy:queue', on);
        resolve({ message: m, at: performance.now() });
      }
    };
    socket.on('pharmacy:queue', on);
  });
}

beforeAll(async () => {
  [a, b] = await Promise.all([instance(), instance()]);
  w = await createPharmacyWorld(a.deps);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const i of [a, b]) {
    await i.rt.close();
    await new Promise<void>((resolve) => i.server.close(() => resolve()));
    await i.close();
  }
});

it('refuses a socket without a valid access token', async () => {
  await expect(open(b.url, undefined)).rejects.toThrow('AUTHENTICATION_REQUIRED');
  await expect(open(b.url, 'not-a-token')).rejects.toThrow('AUTHENTICATION_FAILED');
});

it("a pharmacist joins its pharmacy's room; a physician does not", async () => {
  // Other channels (the in-basket) add rooms of their own: only the pharmacy rooms are this channel's.
  const pharmacyRooms = (rooms: string[]) => rooms.filter((r) => r.startsWith('pharmacy:'));
  expect(pharmacyRooms((await open(b.url, w.pharmacist.token)).rooms)).toEqual([`pharmacy:${w.orgId}`]);
  expect(pharmacyRooms((await open(b.url, w.physician.token)).rooms)).toEqual([]);
});

it('a claim on instance A reaches a pharmacist on instance B within 1 s, once', async () => {
  const { socket } = await open(b.url, w.pharmacist2.token);
  const { socket: other } = await open(a.url, w.otherPharmacist.token);
  const leaked: QueueChangedMessage[] = [];
  other.on('pharmacy:queue', (m: QueueChangedMessage) => leaked.push(m));
  const id = (
    await a.deps.fhir.create(
      medicationRequest({ patientId: w.patientId, prescriberId: w.prescriberId, orgId: w.orgId }),
    )
  ).id!;
  // The sync on read announces the new item too.
  const added = next(socket, (m) => m.medicationRequestId === id && m.change === 'added');
  expect((await request(a.app).get('/api/pharmacy/queue?findings=false').set(w.pharmacist.auth)).status).toBe(200);
  await added;

  const latencies: number[] = [];
  const received: QueueChangedMessage[] = [];
  socket.on('pharmacy:queue', (m: QueueChangedMessage) => {
    if (m.medicationRequestId === id) received.push(m);
  });
  for (let i = 0; i < 10; i++) {
    const what = i % 2 === 0 ? 'claim' : 'release';
    const change = what === 'claim' ? 'claimed' : 'released';
    const arrived = next(
      socket,
      (m) =>
        m.medicationRequestId === id &&
        m.change === change &&
        !received.slice(0, -1).some((x) => x.eventId === m.eventId),
    );
    const t0 = performance.now();
    const r = await request(a.app).post(`/api/pharmacy/queue/${id}/${what}`).set(w.pharmacist.auth);
    expect(r.status).toBe(200);
    const { message, at } = await arrived;
    expect(message).toMatchObject({
      medicationRequestId: id,
      patientId: w.patientId,
      actorUserId: w.pharmacist.user.id,
    });
    latencies.push(at - t0);
  }
  await new Promise((r) => setTimeout(r, 300));
  // Every event exactly once (two instances hear it; one fans it out), and nothing reached the other pharmacy.
  expect(new Set(received.map((m) => m.eventId)).size).toBe(received.length);
  expect(leaked.filter((m) => m.medicationRequestId === id)).toEqual([]);
  const sorted = [...latencies].sort((x, y) => x - y);
  process.stdout.write(
    `realtime A→B latency (request start → socket message), ms: p50 ${sorted[4]!.toFixed(1)}, max ${sorted[9]!.toFixed(1)}, all ${latencies.map((l) => l.toFixed(0)).join(' ')}\n`,
  );
});

it('medications.prescribed for an in-house pharmacy enters the queue and is announced', async () => {
  const { socket } = await open(b.url, w.pharmacist.token);
  const mr = await a.deps.fhir.create(
    medicationRequest({ patientId: w.patientId, prescriberId: w.prescriberId, orgId: w.orgId, priority: 'stat' }),
  );
  const arrived = next(socket, (m) => m.medicationRequestId === mr.id && m.change === 'added');
  const t0 = performance.now();
  await a.deps.events.publish({
    type: 'medications.prescribed',
    patientId: w.patientId,
    resourceType: 'MedicationRequest',
    resourceId: mr.id,
    data: { rxnorm: '314077', pharmacyId: w.orgId },
  });
  const { at } = await arrived;
  process.stdout.write(`realtime prescribed → queue item announced: ${(at - t0).toFixed(1)} ms\n`);
  const row = await a.deps.pg.query(
    'SELECT status, priority FROM pharmacy_queue_items WHERE medication_request_id = $1',
    [mr.id],
  );
  expect(row.rows[0]).toEqual({ status: 'queued', priority: 'stat' });
});

it('the Redis adapter carries an emit made on instance A to a socket on instance B', async () => {
  const { socket } = await open(b.url, w.pharmacist.token);
  const got = new Promise<unknown>((resolve) => socket.once('pharmacy:queue', resolve));
  a.rt.io.to(`pharmacy:${w.orgId}`).emit('pharmacy:queue', { probe: 'adapter' });
  await expect(got).resolves.toEqual({ probe: 'adapter' });
});
