import { compareQueueRows, drugView, itemView, patientView, queueItemFromRequest } from './queue-view';
import type { QueueItemRow } from './queue.repository';

const mr = (o: Partial<fhir4.MedicationRequest> = {}): fhir4.MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id: 'mr1',
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  medicationCodeableConcept: {
    coding: [
      {
        system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
        code: '314077',
        display: 'lisinopril 20 MG Oral Tablet',
      },
    ],
    text: 'lisinopril 20 MG Oral Tablet',
  },
  authoredOn: '2026-06-01T10:00:00Z',
  dispenseRequest: {
    performer: { reference: 'Organization/org1' },
    quantity: { value: 30, unit: 'tablet', code: '{tablet}' },
    expectedSupplyDuration: { value: 30 },
    numberOfRepeatsAllowed: 2,
  },
  dosageInstruction: [{ text: 'once daily' }],
  substitution: { allowedBoolean: false },
  ...o,
});

describe('queueItemFromRequest', () => {
  it('maps an active order routed to the pharmacy', () => {
    expect(queueItemFromRequest(mr({ priority: 'stat' }), 'org1')).toEqual({
      medicationRequestId: 'mr1',
      pharmacyOrgId: 'org1',
      patientId: 'p1',
      priority: 'stat',
      authoredOn: '2026-06-01T10:00:00Z',
      quantityPrescribed: 30,
    });
  });
  it('ignores other pharmacies, non-orders, inactive prescriptions and ones without a patient', () => {
    expect(queueItemFromRequest(mr(), 'org2')).toBeUndefined();
    expect(queueItemFromRequest(mr({ intent: 'plan' }), 'org1')).toBeUndefined();
    expect(queueItemFromRequest(mr({ status: 'on-hold' }), 'org1')).toBeUndefined();
    expect(queueItemFromRequest(mr({ subject: { reference: 'Group/g' } }), 'org1')).toBeUndefined();
  });
  it('defaults the priority to routine and leaves out a missing quantity', () => {
    const item = queueItemFromRequest(
      mr({ dispenseRequest: { performer: { reference: 'Organization/org1' } } }),
      'org1',
    );
    expect(item).toEqual({
      medicationRequestId: 'mr1',
      pharmacyOrgId: 'org1',
      patientId: 'p1',
      priority: 'routine',
      authoredOn: '2026-06-01T10:00:00Z',
    });
  });
});

describe('queue order', () => {
  const row = (id: string, priority: QueueItemRow['priority'], authoredOn: string | null) => ({
    medicationRequestId: id,
    priority,
    authoredOn,
  });
  it('puts STAT and ASAP first, then newest first', () => {
    const rows = [
      row('old', 'routine', '2026-01-01T00:00:00Z'),
      row('new', 'routine', '2026-03-01T00:00:00Z'),
      row('stat-old', 'stat', '2025-01-01T00:00:00Z'),
      row('asap', 'asap', '2026-02-01T00:00:00Z'),
      row('urgent', 'urgent', '2026-02-15T00:00:00Z'),
      row('undated', 'routine', null),
    ];
    expect(rows.sort(compareQueueRows).map((r) => r.medicationRequestId)).toEqual([
      'asap',
      'stat-old',
      'new',
      'urgent',
      'old',
      'undated',
    ]);
  });
});

describe('views', () => {
  it('patient: name, MRN, age, gender', () => {
    const p: fhir4.Patient = {
      resourceType: 'Patient',
      name: [{ given: ['Ada'], family: 'Lovelace' }],
      birthDate: '1980-06-15',
      gender: 'female',
      identifier: [{ system: 'urn:wintehr:mrn', value: 'MRN-1' }],
    };
    expect(patientView('p1', p, new Date('2026-06-14T00:00:00Z'))).toEqual({
      id: 'p1',
      name: 'Ada Lovelace',
      mrn: 'MRN-1',
      ageYears: 45,
      gender: 'female',
    });
    expect(patientView('p1', undefined, new Date())).toEqual({ id: 'p1' });
  });
  it('drug: code, name, quantity, days supply, refills, sig, substitution', () => {
    expect(drugView(mr())).toEqual({
      rxnorm: '314077',
      display: 'lisinopril 20 MG Oral Tablet',
      quantity: { value: 30, unit: 'tablet', code: '{tablet}' },
      daysSupply: 30,
      refills: 2,
      sig: 'once daily',
      substitutionAllowed: false,
    });
  });
  it('item: remaining quantity and who holds it', () => {
    const row: QueueItemRow = {
      medicationRequestId: 'mr1',
      pharmacyOrgId: 'org1',
      patientId: 'p1',
      status: 'partially_dispensed',
      priority: 'routine',
      authoredOn: null,
      quantityPrescribed: 30,
      quantityDispensed: 12.5,
      claimedBy: 'u1',
      claimedAt: null,
      verifiedBy: 'u1',
      verifiedAt: '2026-06-01T00:00:00Z',
      decisions: [],
      returnedAt: null,
      dispensedAt: null,
      createdAt: '',
      updatedAt: '',
    };
    const v = itemView(row, 'u1', new Date(), { mr: mr() });
    expect(v).toMatchObject({ quantityRemaining: 17.5, claimedByMe: true, stat: false, prescriptionStatus: 'active' });
    expect(v.prescriber).toBeUndefined();
    expect(itemView(row, 'u2', new Date(), {}).claimedByMe).toBe(false);
  });
});
