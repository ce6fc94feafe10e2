import request from 'supertest';
import { buildTestApp } from '../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../test-support/users';

/**
 * Malformed input against this session's write endpoints, as a user allowed to call them: wrong content types,
 * broken JSON, an array or a scalar for an object, a body over the limit, ids that are not FHIR ids. Every answer
 * must be a 4xx with the error envelope, never a 500.
 */
jest.setTimeout(120_000);
let h: Awaited<ReturnType<typeof buildTestApp>>;
let doc: TestUser;
let portal: TestUser;
let P: string;

beforeAll(async () => {
  h = await buildTestApp();
  P = await createTestPatient(h.deps, 'Malformed');
  doc = await createTestUser(h.deps, { role: 'physician', practitionerId: await createTestPractitioner(h.deps) });
  portal = await createTestUser(h.deps, { role: 'patient', patientId: P });
  await h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
    doc.user.id,
    P,
  ]);
});
afterAll(() => h.close());

const endpoints = (): Array<[string, TestUser]> => [
  ['/api/inbasket/task-abc/actions', doc],
  ['/api/portal/messages', portal],
  ['/api/portal/refill-requests', portal],
  ['/api/appointments/abc/check-in', doc],
  [`/api/patients/${P}/vitals/sets`, doc],
  [`/api/patients/${P}/allergies/no-known-allergies`, doc],
  [`/api/patients/${P}/social-history`, doc],
  [`/api/patients/${P}/problems/abc/reactivate`, doc],
  [`/api/patients/${P}/mar/administrations`, doc],
  [`/api/patients/${P}/tasks`, doc],
  [`/api/patients/${P}/medication-reconciliation`, doc],
  ['/api/medications/abc/renew', doc],
  ['/api/medications/abc/modify', doc],
  [`/api/patients/${P}/eligibility`, doc],
  [`/api/patients/${P}/imaging/studies/1.2.3/reports`, doc],
  [`/api/patients/${P}/imaging/studies/1.2.3/shares`, doc],
  ['/api/results/abc/acknowledge', doc],
];

const bodies: Array<[string, string, string]> = [
  ['text/plain', 'hello', 'plain text'],
  ['application/json', '{"action": "approve",', 'truncated JSON'],
  ['application/json', '[1,2,3]', 'an array'],
  ['application/json', '"approve"', 'a scalar'],
  ['application/json', 'null', 'null'],
  ['application/json', JSON.stringify({ note: 'x'.repeat(5 * 1024 * 1024) }), 'a 5 MB body'],
  ['application/json', '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}', 'prototype keys'],
  ['application/xml', '<a>1</a>', 'XML'],
  ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--', 'a form'],
];

test.each(bodies.map(([type, body, label]) => ({ type, body, label })))(
  '$label ($type) to every new write endpoint answers 4xx, never 500',
  async ({ type, body }) => {
    for (const [path, who] of endpoints()) {
      const res = await request(h.app).post(path).set(who.auth).set('content-type', type).send(body);
      expect([path, res.status >= 400 && res.status < 500]).toEqual([path, true]);
      expect(res.body?.error?.code).toEqual(expect.any(String));
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  },
);
