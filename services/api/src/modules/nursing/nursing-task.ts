import type { NursingTaskBody } from '@wintehr/contracts';
import type { z } from 'zod';

/** A nursing task as a FHIR Task (code nursing-task): open while requested or in progress. Pure. */
export const NURSING_TASK = { system: 'http://wintehr.dev/fhir/CodeSystem/task-code', code: 'nursing-task' };

export const isOpen = (t: fhir4.Task) => t.status === 'requested' || t.status === 'in-progress' || t.status === 'ready';

export function newNursingTask(
  b: z.output<typeof NursingTaskBody>,
  patientId: string,
  requester?: string,
  now = new Date(),
): fhir4.Task {
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: b.priority,
    code: { coding: [{ ...NURSING_TASK, display: 'Nursing task' }] },
    description: b.description,
    for: { reference: `Patient/${patientId}` },
    authoredOn: now.toISOString(),
    lastModified: now.toISOString(),
    ...(requester ? { requester: { reference: requester } } : {}),
    ...(b.dueAt ? { restriction: { period: { end: b.dueAt } } } : {}),
  };
}

export function completeTask(t: fhir4.Task, by?: string, note?: string, now = new Date()): fhir4.Task {
  return {
    ...t,
    status: 'completed',
    lastModified: now.toISOString(),
    executionPeriod: { ...t.executionPeriod, end: now.toISOString() },
    ...(by ? { owner: { reference: by } } : {}),
    ...(note ? { note: [...(t.note ?? []), { text: note, time: now.toISOString() }] } : {}),
  };
}
