import { buildMedicationDispense, DISPENSE_ID_SYSTEM, EXT_COUNSELLING } from './medication-dispense';
import { formatNdc } from './ndc';

const mr: fhir4.MedicationRequest = {
  resourceType: 'MedicationRequest',
  id: 'mr1',
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  dispenseRequest: { quantity: { value: 30, unit: 'tablet', system: 'http://unitsofmeasure.org', code: '{tablet}' } },
  dosageInstruction: [{ text: 'once daily' }],
};
const base = {
  dispenseId: 'd-1',
  mr,
  patientId: 'p1',
  practitionerId: 'ph1',
  orgId: 'org1',
  product: { ndc: '00143971301', rxcui: '314077', name: 'lisinopril 20 MG Oral Tablet', ingredients: ['29046'] },
  lot: { lotNumber: 'L1', expiry: '2027-01-31' },
  quantity: 10,
  daysSupply: 10,
  counselling: { offered: true, accepted: false },
  fill: { status: 'partially_dispensed' as const, remainingAfter: 20, fillType: 'FFP' as const },
  now: new Date('2026-06-15T12:00:00Z'),
};

describe('MedicationDispense', () => {
  it('carries the prescription, performer, quantity, days supply, lot and expiry', () => {
    const md = buildMedicationDispense(base);
    expect(md).toMatchObject({
      status: 'completed',
      identifier: [{ system: DISPENSE_ID_SYSTEM, value: 'd-1' }],
      authorizingPrescription: [{ reference: 'MedicationRequest/mr1' }],
      subject: { reference: 'Patient/p1' },
      performer: [{ actor: { reference: 'Practitioner/ph1' } }],
      quantity: { value: 10, unit: 'tablet', code: '{tablet}' },
      daysSupply: { value: 10, code: 'd' },
      type: { coding: [{ code: 'FFP' }] },
      medicationReference: { reference: '#dispensed' },
      substitution: { wasSubstituted: false },
      dosageInstruction: [{ text: 'once daily' }],
      whenHandedOver: '2026-06-15T12:00:00.000Z',
    });
    const med = md.contained![0] as fhir4.Medication;
    expect(med.batch).toEqual({ lotNumber: 'L1', expirationDate: '2027-01-31' });
    expect(med.code?.coding?.[0]).toEqual({
      system: 'http://hl7.org/fhir/sid/ndc',
      code: '00143-9713-01',
      display: 'lisinopril 20 MG Oral Tablet',
    });
  });
  it('documents counselling as text and structure', () => {
    const md = buildMedicationDispense({
      ...base,
      counselling: { offered: true, accepted: true, notes: 'take in the morning' },
    });
    expect(md.note?.[0]?.text).toBe('Counselling offered; accepted: take in the morning');
    expect(md.extension?.[0]).toEqual({
      url: EXT_COUNSELLING,
      extension: [
        { url: 'offered', valueBoolean: true },
        { url: 'accepted', valueBoolean: true },
      ],
    });
    expect(buildMedicationDispense({ ...base, counselling: { offered: false, accepted: false } }).note?.[0]?.text).toBe(
      'Counselling not offered',
    );
  });
  it('records a substitution with its type, reason and responsible pharmacist', () => {
    const md = buildMedicationDispense({ ...base, substitution: { type: 'G', reason: 'brand not stocked' } });
    expect(md.substitution).toEqual({
      wasSubstituted: true,
      type: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'G', display: 'generic composition' },
        ],
      },
      reason: [{ text: 'brand not stocked' }],
      responsibleParty: [{ reference: 'Practitioner/ph1' }],
    });
  });
  it('formats NDCs 5-4-2', () => expect(formatNdc('00378611201')).toBe('00378-6112-01'));
});
