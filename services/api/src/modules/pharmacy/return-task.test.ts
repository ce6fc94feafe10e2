import { returnTask } from './return-task';

const mr = (requester?: string): fhir4.MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id: 'mr1',
  status: 'on-hold',
  intent: 'order',
  subject: { reference: 'Patient/pt1' },
  ...(requester ? { requester: { reference: requester } } : {}),
});
const base = {
  patientId: 'pt1',
  pharmacistPractitionerId: 'ph1',
  reason: 'Out of stock until Monday',
  reasonCode: 'out-of-stock',
  returnKey: 'comm-1',
  now: new Date('2026-12-04T10:00:00Z'),
};

describe('the in-basket Task of a pharmacy return', () => {
  test('is owned by the prescriber, about the prescription, with the reason and an idempotency key', () => {
    const t = returnTask({ ...base, mr: mr('Practitioner/doc1') });
    expect(t).toMatchObject({
      status: 'requested',
      priority: 'urgent',
      code: { coding: [{ system: 'urn:wintehr:task-type', code: 'pharmacy-return' }] },
      owner: { reference: 'Practitioner/doc1' },
      focus: { reference: 'MedicationRequest/mr1' },
      for: { reference: 'Patient/pt1' },
      statusReason: { text: 'Out of stock until Monday' },
      identifier: [{ value: 'comm-1' }],
    });
    expect(t.performerType).toBeUndefined();
  });

  test('goes to the physicians’ pharmacy-returns pool when the order names no practitioner', () => {
    const t = returnTask({ ...base, mr: mr('Organization/x') });
    expect(t.owner).toBeUndefined();
    expect(t.performerType?.[0]?.coding?.[0]).toEqual({
      system: 'urn:wintehr:inbasket-pool',
      code: 'pharmacy-returns',
    });
  });
});
