import type { NetworkHistoryItem } from '@wintehr/contracts';
import { kb } from '../drug-safety/test-helpers.test-util';
import { identify, reconcile, strengthsOf } from './reconciliation';

const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';

const order = (id: string, code: string, text: string, status: fhir4.MedicationRequest['status'] = 'active') =>
  ({
    resourceType: 'MedicationRequest',
    id,
    status,
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: { coding: [{ system: RX, code, display: text }], text },
    dosageInstruction: [{ text: 'once daily' }],
    meta: { versionId: '2' },
  }) satisfies fhir4.MedicationRequest;

const reported = (id: string, text: string, status: fhir4.MedicationStatement['status'] = 'active', dose?: string) =>
  ({
    resourceType: 'MedicationStatement',
    id,
    status,
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: { text },
    ...(dose ? { dosage: [{ text: dose }] } : {}),
  }) satisfies fhir4.MedicationStatement;

const fill = (description: string, rxnorm: string | null, lastFillDate: string, ndc: string | null = null) =>
  ({
    description,
    rxnorm,
    ndc,
    quantity: '30',
    unitCode: 'C48542',
    daysSupply: 30,
    lastFillDate,
    pharmacyName: 'Main St Pharmacy',
    sig: 'Take 1 tablet daily',
  }) satisfies NetworkHistoryItem;

describe('identify', () => {
  it('meets a salt and a brand name on the ingredient', () => {
    const salt = identify(kb(), [], 'metoprolol tartrate 25 mg');
    const brand = identify(kb(), [], 'Lopressor');
    expect(salt.unidentified).toBe(false);
    expect(salt.key).toBe(brand.key);
    expect(salt.ingredients.map((i) => i.name.toLowerCase())).toEqual(['metoprolol']);
    expect(salt.strengths).toEqual(['25 mg']);
    expect(brand.strengths).toEqual([]);
    // Strength and sig words do not pull in a combination product of the brand.
    const withSig = identify(kb(), [], 'Lopressor 25 mg twice a day');
    expect(withSig.key).toBe(salt.key);
    expect(withSig.strengths).toEqual(['25 mg']);
    expect(identify(kb(), [], 'Lopressor HCT').ingredients).toHaveLength(2);
  });

  it('prefers the code, and resolves NDCs', () => {
    const byNdc = identify(kb(), [{ system: 'http://hl7.org/fhir/sid/ndc', code: '00378001801' }], 'something');
    expect(byNdc.key).toBe(identify(kb(), [{ system: RX, code: '866924' }], '').key);
  });

  it('keys a drug the KB does not know by its name', () => {
    const x = identify(kb(), [], 'Grandma’s herbal tonic');
    expect(x.unidentified).toBe(true);
    expect(x.key).toBe('text:grandma’s herbal tonic');
  });
});

describe('strengthsOf', () => {
  it('normalises mass units so 0.05 MG equals 50 mcg', () => {
    expect(strengthsOf('Levothyroxine Sodium 0.05 MG Oral Tablet')).toEqual(strengthsOf('levothyroxine 50 mcg'));
    expect(strengthsOf('Lopressor')).toEqual([]);
  });
});

describe('reconcile', () => {
  it('lines up orders, outside fills and the patient list by ingredient', () => {
    const lines = reconcile(kb(), {
      orders: [
        order('mr-1', '866924', 'metoprolol tartrate 25 MG Oral Tablet'),
        order('mr-2', '314076', 'lisinopril 10 MG Oral Tablet'),
      ],
      history: [
        fill('Metoprolol Tartrate 25 MG Oral Tablet', null, '2026-01-10'),
        fill('Metoprolol Tartrate 25 MG Oral Tablet', null, '2026-02-10'),
        fill('Atorvastatin 20 MG Oral Tablet', '617310', '2026-02-01'),
        fill('Lisinopril 20 MG Oral Tablet', null, '2026-02-03'),
      ],
      statements: [
        reported('ms-1', 'Lopressor'),
        reported('ms-2', 'Vitamin Zed drops'),
        reported('ms-3', 'ibuprofen', 'stopped'),
      ],
    });
    const by = (name: string) => lines.find((l) => l.display.toLowerCase().includes(name));
    expect(by('metoprolol')).toMatchObject({
      status: 'matched',
      order: { medicationRequestId: 'mr-1', versionId: '2' },
      history: { fills: 2, lastFillDate: '2026-02-10' },
      patientReported: { medicationStatementId: 'ms-1' },
    });
    expect(by('lisinopril')).toMatchObject({ status: 'dose-differs', order: { medicationRequestId: 'mr-2' } });
    expect(by('atorvastatin')).toMatchObject({ status: 'only-in-history' });
    expect(by('atorvastatin')?.order).toBeUndefined();
    expect(by('vitamin zed')).toMatchObject({ status: 'only-patient-reported', unidentified: true });
    // A drug the patient stopped is not on their current list.
    expect(by('ibuprofen')).toBeUndefined();
    expect(lines).toHaveLength(4);
    // Ordered drugs first.
    expect(lines.slice(0, 2).every((l) => l.order)).toBe(true);
  });

  it('shows an order nobody else mentions, and ignores stopped orders', () => {
    const lines = reconcile(kb(), {
      orders: [
        order('mr-1', '314076', 'lisinopril 10 MG Oral Tablet'),
        order('mr-9', '866924', 'metoprolol', 'stopped'),
      ],
      history: [],
      statements: [],
    });
    expect(lines.map((l) => [l.status, l.order?.medicationRequestId])).toEqual([['only-ordered', 'mr-1']]);
  });

  it('compares what one dose amounts to: 2 tablets of 25 mg is not the 25 mg the patient reports', () => {
    const twoTablets = {
      ...order('mr-1', '866924', 'metoprolol tartrate 25 MG Oral Tablet'),
      dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 2, code: '{tablet}' } }] }],
    };
    const statements = [reported('ms-1', 'Lopressor', 'active', '25 mg once a day')];
    expect(reconcile(kb(), { orders: [twoTablets], history: [], statements })[0]?.status).toBe('dose-differs');
    const inMg = {
      ...twoTablets,
      dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 25, code: 'mg' } }] }],
    };
    expect(reconcile(kb(), { orders: [inMg], history: [], statements })[0]?.status).toBe('matched');
  });

  it('sees a different strength on the patient list as a dose difference', () => {
    const lines = reconcile(kb(), {
      orders: [order('mr-1', '866924', 'metoprolol tartrate 25 MG Oral Tablet')],
      history: [],
      statements: [reported('ms-1', 'Lopressor', 'active', '50 mg twice a day')],
    });
    expect(lines[0]?.status).toBe('dose-differs');
  });
});
