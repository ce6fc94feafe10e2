import type { InbasketItem, Role } from '@wintehr/contracts';
import { allowedActions, poolOfTask } from './action-policy';
import { kindOfTask, resultItemId, taskItemId } from './kinds';
import { attachmentsOf } from './message-attachments';

/** Turning Tasks and critical-result alerts into in-basket items. Pure: the caller fetched everything. */

export interface MappingContext {
  role: Role;
  /** Resources the Tasks point at (their focus), keyed `Type/id`. */
  related: ReadonlyMap<string, fhir4.Resource>;
  /** Patient display names by id. */
  patientNames: ReadonlyMap<string, string>;
}

const PRIORITIES = new Set(['routine', 'urgent', 'asap', 'stat']);
const priorityOf = (p: string | undefined): InbasketItem['priority'] =>
  p && PRIORITIES.has(p) ? (p as InbasketItem['priority']) : 'routine';

export const refId = (ref: string | undefined, type: string): string | undefined =>
  ref?.startsWith(`${type}/`) ? ref.slice(type.length + 1).split('/')[0] : undefined;

export function drugName(mr: fhir4.MedicationRequest | undefined): string | undefined {
  return mr?.medicationCodeableConcept?.text ?? mr?.medicationCodeableConcept?.coding?.[0]?.display;
}

function chartLink(patientId: string | undefined, tab: string, label: string) {
  return patientId ? [{ label, href: `/patients/${patientId}/${tab}` }] : [];
}

const inputText = (t: fhir4.Task, name: string) => t.input?.find((i) => i.type.text === name)?.valueString;

/** An item for an open in-basket Task, or undefined for a Task that is not in-basket work. */
export function taskToItem(t: fhir4.Task, ctx: MappingContext): InbasketItem | undefined {
  const kind = kindOfTask(t);
  if (!kind || !t.id) return undefined;
  const patientId = refId(t.for?.reference, 'Patient');
  const focus = t.focus?.reference ?? null;
  const related = focus ? ctx.related.get(focus) : undefined;
  const mr = related?.resourceType === 'MedicationRequest' ? (related as fhir4.MedicationRequest) : undefined;
  const drug = drugName(mr) ?? 'prescription';
  let title: string;
  let detail: string | null = t.description ?? null;
  let links = chartLink(patientId, 'medications', 'Medications');
  let attachments: InbasketItem['attachments'] = [];
  switch (kind) {
    case 'erx-renewal':
      title = `Renewal request: ${drug}`;
      break;
    case 'erx-change':
      title = `Change request: ${drug}`;
      break;
    case 'pharmacy-return': {
      const reason = t.statusReason?.text ?? inputText(t, 'reason') ?? 'no reason given';
      title = `Returned to stock: ${drug} — ${reason}`;
      break;
    }
    case 'refill-request':
      title = `Refill request: ${drug}`;
      detail = inputText(t, 'patient-note') ?? t.description ?? null;
      break;
    case 'patient-message': {
      const c = related?.resourceType === 'Communication' ? (related as fhir4.Communication) : undefined;
      title = `Message: ${c?.topic?.text ?? t.description ?? 'patient message'}`;
      detail = c?.payload?.find((p) => p.contentString)?.contentString ?? null;
      links = chartLink(patientId, 'summary', 'Chart');
      attachments = attachmentsOf(c);
      break;
    }
    case 'note-cosign': {
      const d = related?.resourceType === 'DocumentReference' ? (related as fhir4.DocumentReference) : undefined;
      title = `Co-sign note: ${d?.description ?? d?.type?.text ?? d?.type?.coding?.[0]?.display ?? 'clinical note'}`;
      links = chartLink(patientId, 'notes', 'Notes');
      break;
    }
  }
  return {
    id: taskItemId(t.id),
    kind,
    patientId: patientId ?? null,
    patientName: (patientId && ctx.patientNames.get(patientId)) || null,
    title,
    detail,
    created: t.authoredOn ?? t.meta?.lastUpdated ?? null,
    due: t.restriction?.period?.end ?? null,
    priority: priorityOf(t.priority),
    pool: poolOfTask(t) ?? null,
    focus,
    links: [...links, ...(patientId && kind !== 'patient-message' ? chartLink(patientId, 'summary', 'Chart') : [])],
    actions: allowedActions(kind, ctx.role),
    ...(attachments.length ? { attachments } : {}),
  };
}

/** One unacknowledged critical result of the results module's worklist. */
export interface CriticalAlertRow {
  reportId: string;
  patientId: string;
  codes: string[];
  filedAt: string;
  deadlineAt: string;
  /** The report's test name, when its DiagnosticReport could be read. */
  testName?: string;
}

export function criticalToItem(a: CriticalAlertRow, ctx: Pick<MappingContext, 'role' | 'patientNames'>, now: Date) {
  const overdue = Date.parse(a.deadlineAt) < now.getTime();
  const item: InbasketItem = {
    id: resultItemId(a.reportId),
    kind: 'critical-result',
    patientId: a.patientId,
    patientName: ctx.patientNames.get(a.patientId) ?? null,
    title: `Critical result: ${a.testName ?? a.codes.join(', ')}`,
    detail: overdue ? 'Acknowledgement overdue' : null,
    created: a.filedAt,
    due: a.deadlineAt,
    priority: overdue ? 'stat' : 'urgent',
    pool: null,
    focus: `DiagnosticReport/${a.reportId}`,
    links: chartLink(a.patientId, 'results', 'Results'),
    actions: allowedActions('critical-result', ctx.role),
  };
  return item;
}

/** Newest first, but anything urgent or overdue above routine work. */
export function sortItems(items: InbasketItem[]): InbasketItem[] {
  const rank = { stat: 0, asap: 1, urgent: 2, routine: 3 } as const;
  return [...items].sort(
    (a, b) => rank[a.priority] - rank[b.priority] || (b.created ?? '').localeCompare(a.created ?? ''),
  );
}
