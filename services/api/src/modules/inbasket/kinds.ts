import type { InbasketKind } from '@wintehr/contracts';

/**
 * Where in-basket work lives. Every item but a critical result is a FHIR Task with a code of the task-type system
 * (the e-prescribing module already files pharmacy requests that way); a critical result stays in the results
 * module's worklist and is only shown here.
 */
export const TASK_TYPE_SYSTEM = 'urn:wintehr:task-type';
/** Task.performerType coding of work addressed to a pool rather than one practitioner. */
export const POOL_SYSTEM = 'urn:wintehr:inbasket-pool';

export const KIND_BY_TASK_CODE: Readonly<Record<string, Exclude<InbasketKind, 'critical-result'>>> = {
  'erx-renewal-request': 'erx-renewal',
  'erx-change-request': 'erx-change',
  'pharmacy-return': 'pharmacy-return',
  'note-cosign': 'note-cosign',
  'patient-message': 'patient-message',
  'refill-request': 'refill-request',
};

export const TASK_CODE_BY_KIND: Readonly<Partial<Record<InbasketKind, string>>> = Object.fromEntries(
  Object.entries(KIND_BY_TASK_CODE).map(([code, kind]) => [kind, code]),
);

export const INBASKET_TASK_CODES = Object.keys(KIND_BY_TASK_CODE);

export function kindOfTask(t: fhir4.Task): Exclude<InbasketKind, 'critical-result'> | undefined {
  const code = t.code?.coding?.find((c) => c.system === TASK_TYPE_SYSTEM)?.code;
  return code ? KIND_BY_TASK_CODE[code] : undefined;
}

/** `task-<id>` / `result-<id>` (the contract's InbasketItemId has already checked the shape). */
export function parseItemId(itemId: string): { source: 'task' | 'result'; id: string } {
  const dash = itemId.indexOf('-');
  return { source: itemId.slice(0, dash) as 'task' | 'result', id: itemId.slice(dash + 1) };
}
export const taskItemId = (taskId: string) => `task-${taskId}`;
export const resultItemId = (reportId: string) => `result-${reportId}`;
