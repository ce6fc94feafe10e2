import { kb } from '../drug-safety/test-helpers.test-util';
import { demoStockPlan } from './demo-inventory';

const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const order = (code: string, value: number, unit = '{tablet}'): fhir4.MedicationRequest => ({
  resourceType: 'MedicationRequest',
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p' },
  medicationCodeableConcept: { coding: [{ system: RX, code }] },
  dispenseRequest: { quantity: { value, code: unit } },
});

describe('demoStockPlan', () => {
  it('stocks each ordered product once under a known NDC, enough for many fills, unexpired', () => {
    const plan = demoStockPlan(
      kb(),
      [
        order('866924', 60),
        order('866924', 90),
        order('314076', 30),
        order('999999999', 30),
        { ...order('x', 1), medicationCodeableConcept: { text: 'uncoded' } },
      ],
      new Date('2026-12-04T00:00:00Z'),
    );
    expect(plan.map((p) => p.rxcui).sort()).toEqual(['314076', '866924']);
    const meto = plan.find((p) => p.rxcui === '866924')!;
    expect(kb().ndc.get(meto.ndc)).toBe('866924');
    expect(meto).toMatchObject({ quantity: 1800, unit: '{tablet}', lot: 'DEMO-202612', expiry: '2028-12-01' });
    expect(plan.find((p) => p.rxcui === '314076')?.quantity).toBe(600);
  });
});
