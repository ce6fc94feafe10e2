import { InbasketItem } from '@wintehr/contracts';
import { criticalToItem, sortItems, taskToItem } from './item-mapping';
import { TASK_TYPE_SYSTEM } from './kinds';
import { answeredTask, portalRequestView, refillTask } from './portal-tasks';
import { inbasketMessages, poolRoom, practitionerRoom, RESULTS_ROOM } from './inbasket.realtime';

const mr: fhir4.MedicationRequest = {
  resourceType: 'MedicationRequest',
  id: 'mr1',
  meta: { versionId: '3' },
  identifier: [{ system: 'urn:wintehr:prescription', value: 'old' }],
  status: 'on-hold',
  statusReason: { text: 'out of stock' },
  note: [{ text: 'Returned by the pharmacy: out of stock' }],
  intent: 'order',
  subject: { reference: 'Patient/pt1' },
  requester: { reference: 'Practitioner/old' },
  medicationCodeableConcept: { text: 'lisinopril 10 MG Oral Tablet' },
  dispenseRequest: { numberOfRepeatsAllowed: 2, performer: { reference: 'Organization/ph1' } },
};

const task = (code: string, extra: Partial<fhir4.Task> = {}): fhir4.Task => ({
  resourceType: 'Task',
  id: 't1',
  status: 'requested',
  intent: 'order',
  code: { coding: [{ system: TASK_TYPE_SYSTEM, code }] },
  for: { reference: 'Patient/pt1' },
  focus: { reference: 'MedicationRequest/mr1' },
  owner: { reference: 'Practitioner/p1' },
  authoredOn: '2026-12-04T10:00:00Z',
  ...extra,
});

const ctx = {
  role: 'physician' as const,
  related: new Map<string, fhir4.Resource>([['MedicationRequest/mr1', mr]]),
  patientNames: new Map([['pt1', 'Ana Erxtest']]),
};

describe('in-basket item mapping', () => {
  test('a pharmacy return reads "Returned to stock: <drug> — <reason>" with the patient name and chart links', () => {
    const item = taskToItem(
      task('pharmacy-return', { statusReason: { text: 'out of stock' }, priority: 'urgent' }),
      ctx,
    )!;
    expect(InbasketItem.parse(item)).toEqual(item);
    expect(item).toMatchObject({
      id: 'task-t1',
      kind: 'pharmacy-return',
      patientName: 'Ana Erxtest',
      title: 'Returned to stock: lisinopril 10 MG Oral Tablet — out of stock',
      priority: 'urgent',
      focus: 'MedicationRequest/mr1',
      actions: ['acknowledge', 'discontinue', 'resend'],
    });
    expect(item.links.map((l) => l.href)).toEqual(['/patients/pt1/medications', '/patients/pt1/summary']);
  });

  test('eRx renewal and change requests name the drug; a Task of another type is not an item', () => {
    expect(taskToItem(task('erx-renewal-request'), ctx)?.title).toBe('Renewal request: lisinopril 10 MG Oral Tablet');
    expect(taskToItem(task('erx-change-request'), ctx)?.kind).toBe('erx-change');
    expect(taskToItem(task('erx-transmission'), ctx)).toBeUndefined();
  });

  test('a patient message shows its subject and text; a nurse may answer it', () => {
    const comm: fhir4.Communication = {
      resourceType: 'Communication',
      id: 'c1',
      status: 'completed',
      topic: { text: 'Dizzy in the mornings' },
      payload: [{ contentString: 'Since the new dose I feel dizzy.' }],
    };
    const item = taskToItem(task('patient-message', { focus: { reference: 'Communication/c1' } }), {
      ...ctx,
      role: 'nurse',
      related: new Map([['Communication/c1', comm]]),
    })!;
    expect(item).toMatchObject({
      title: 'Message: Dizzy in the mornings',
      detail: 'Since the new dose I feel dizzy.',
      actions: ['reply', 'complete'],
    });
    expect(item.attachments).toBeUndefined();
  });

  test("a patient message lists its files; the portal's view of it too", () => {
    const comm: fhir4.Communication = {
      resourceType: 'Communication',
      id: 'c1',
      status: 'completed',
      payload: [
        { contentString: 'Photo attached' },
        { contentAttachment: { contentType: 'image/png', url: 'Binary/b1', size: 70, title: 'rash.png' } },
      ],
    };
    const t = task('patient-message', { focus: { reference: 'Communication/c1' } });
    const related = new Map([['Communication/c1', comm]]);
    const expected = [{ index: 0, communicationId: 'c1', title: 'rash.png', contentType: 'image/png', size: 70 }];
    expect(taskToItem(t, { ...ctx, related })!.attachments).toEqual(expected);
    expect(portalRequestView(t, related).attachments).toEqual(expected);
  });

  test('a critical result past its deadline is stat and says so; unknown patient names stay null', () => {
    const row = {
      reportId: 'r1',
      patientId: 'px',
      codes: ['2823-3'],
      filedAt: '2026-12-04T09:00:00Z',
      deadlineAt: '2026-12-04T10:00:00Z',
      testName: 'Basic metabolic panel',
    };
    const late = criticalToItem(row, ctx, new Date('2026-12-04T11:00:00Z'));
    expect(late).toMatchObject({
      id: 'result-r1',
      priority: 'stat',
      patientName: null,
      title: 'Critical result: Basic metabolic panel',
      detail: 'Acknowledgement overdue',
    });
    expect(criticalToItem(row, ctx, new Date('2026-12-04T09:30:00Z')).priority).toBe('urgent');
  });

  test('urgent work sorts above routine, newest first within a priority', () => {
    const base = taskToItem(task('refill-request'), ctx)!;
    const sorted = sortItems([
      { ...base, id: 'a', created: '2026-12-04T08:00:00Z' },
      { ...base, id: 'b', created: '2026-12-04T09:00:00Z' },
      { ...base, id: 'c', priority: 'urgent', created: '2026-12-01T00:00:00Z' },
    ]);
    expect(sorted.map((i) => i.id)).toEqual(['c', 'b', 'a']);
  });
});

describe('portal requests and renewals', () => {
  test('a refill Task answered with a denial shows the reason to the patient', () => {
    const t = {
      ...refillTask({
        patientId: 'pt1',
        medicationRequestId: 'mr1',
        drug: 'lisinopril',
        to: { practitionerId: 'p1' },
        note: 'running out Friday',
        now: new Date('2026-12-04T10:00:00Z'),
      }),
      id: 't9',
    };
    expect(portalRequestView(t, new Map())).toMatchObject({ status: 'open', text: 'running out Friday', answer: null });
    const denied = answeredTask(t, {
      status: 'rejected',
      by: { reference: 'Practitioner/p1' },
      now: new Date('2026-12-04T11:00:00Z'),
      answer: 'Needs a visit first',
    });
    expect(portalRequestView(denied, new Map())).toMatchObject({
      type: 'refill-request',
      status: 'denied',
      answer: 'Needs a visit first',
      answeredAt: '2026-12-04T11:00:00.000Z',
    });
  });
});

describe('in-basket real-time messages', () => {
  test('created/closed events reach the owner and the pool rooms; results reach the results room', () => {
    const ev = (type: 'inbox.item.created' | 'inbox.item.closed' | 'results.critical', data = {}) => ({
      id: '1',
      occurredAt: '',
      type,
      data,
    });
    expect(inbasketMessages(ev('inbox.item.created', { kind: 'RxRenewalRequest', ownerPractitionerId: 'p1' }))).toEqual(
      [{ room: practitionerRoom('p1'), message: { kind: 'erx-renewal', change: 'created' } }],
    );
    expect(inbasketMessages(ev('inbox.item.closed', { kind: 'patient-message', pool: 'nursing' }))).toEqual([
      { room: poolRoom('nursing'), message: { kind: 'patient-message', change: 'closed' } },
    ]);
    expect(inbasketMessages(ev('results.critical'))).toEqual([
      { room: RESULTS_ROOM, message: { kind: 'critical-result', change: 'created' } },
    ]);
    expect(inbasketMessages(ev('inbox.item.created', { kind: 'refill-request' }))).toEqual([]);
  });
});
