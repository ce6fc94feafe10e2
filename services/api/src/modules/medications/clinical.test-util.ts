/**
 * Shared set-up for the medications / orders / results integration tests: the real app, a physician linked to a
 * real Practitioner and assigned to a fresh patient, and helpers to read audit rows and collect domain events.
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '@wintehr/contracts';
import type { DomainEvent } from '../../core/events/events';
import { subscribeEvents } from '../../core/events/event-subscriber';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID, testEnv } from '../../test-support/test-env';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';

export type Harness = Awaited<ReturnType<typeof buildTestApp>>;

export async function assign(h: Harness, user: TestUser, patientId: string): Promise<void> {
  await h.deps.pg.query(
    "INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'clinical test') ON CONFLICT DO NOTHING",
    [user.user.id, patientId],
  );
}

/** A user of the role, linked to a new Practitioner, assigned to the given patients. */
export async function clinician(
  h: Harness,
  role: Role,
  patients: string[] = [],
): Promise<TestUser & { practitionerId: string }> {
  const practitionerId = await createTestPractitioner(h.deps);
  const u = await createTestUser(h.deps, { role, practitionerId });
  for (const p of patients) await assign(h, u, p);
  return { ...u, practitionerId };
}

export async function newPatient(h: Harness, gender: 'male' | 'female' = 'female'): Promise<string> {
  const id = await createTestPatient(h.deps);
  if (gender === 'male') {
    const p = await h.deps.fhir.read('Patient', id);
    await h.deps.fhir.update({ ...p, gender: 'male' });
  }
  return id;
}

export async function pharmacy(h: Harness): Promise<string> {
  const org = await h.deps.fhir.create<fhir4.Organization>({
    resourceType: 'Organization',
    active: true,
    name: `Test Pharmacy ${RUN_ID}`,
    identifier: [{ system: 'urn:wintehr:test', value: `${RUN_ID}-pharm-${randomUUID().slice(0, 8)}` }],
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' }] }],
  });
  return org.id!;
}

export async function auditRows(h: Harness, where: { action: string; patientId?: string; resourceId?: string }) {
  await h.deps.audit.flush();
  const args: string[] = [where.action];
  let sql = 'SELECT action, outcome, patient_id, resource_id, details FROM audit_log WHERE action = $1';
  if (where.patientId) {
    args.push(where.patientId);
    sql += ` AND patient_id = $${args.length}`;
  }
  if (where.resourceId) {
    args.push(where.resourceId);
    sql += ` AND resource_id = $${args.length}`;
  }
  return (
    await h.deps.pg.query<{
      action: string;
      outcome: string;
      patient_id: string;
      resource_id: string | null;
      details: Record<string, unknown>;
    }>(`${sql} ORDER BY id`, args)
  ).rows;
}

/** Collects live domain events; waitFor resolves with the first match (or fails after the timeout). */
export function eventCollector() {
  const seen: DomainEvent[] = [];
  const waiters: { pred: (e: DomainEvent) => boolean; resolve: (e: DomainEvent) => void }[] = [];
  const sub = subscribeEvents(testEnv().redisUrl, (e) => {
    seen.push(e);
    for (const w of [...waiters])
      if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
  });
  return {
    seen,
    waitFor(pred: (e: DomainEvent) => boolean, timeoutMs = 10_000): Promise<DomainEvent> {
      const hit = seen.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('event not received in time')), timeoutMs);
        waiters.push({
          pred,
          resolve: (e) => {
            clearTimeout(t);
            resolve(e);
          },
        });
      });
    },
    close: () => sub.close(),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
