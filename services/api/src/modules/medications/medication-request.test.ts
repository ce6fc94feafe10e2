import { EXT_SAFETY_OVERRIDE, type Finding } from '../drug-safety';
import { EXT_DEA_SCHEDULE, EXT_REQUIRES_EPCS, buildMedicationRequest, discontinued } from './medication-request';
import { PrescribeBody } from '@wintehr/contracts';

const body = (extra: Record<string, unknown> = {}) =>
  PrescribeBody.parse({
    medication: { code: '314076' },
    dosage: { dose: { value: 10, unit: 'mg' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
    dispense: {
      quantity: { value: 30, unit: 'tablet' },
      numberOfRepeatsAllowed: 3,
      expectedSupplyDays: 30,
      pharmacyId: 'org-1',
    },
    reason: { coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }] },
    ...extra,
  });
const facts = {
  patientId: 'p1',
  requester: { reference: 'Practitioner/dr1' },
  productName: 'lisinopril 10 MG Oral Tablet',
  overridden: [] as Finding[],
  prescriptionId: 'rx-1',
  now: new Date('2026-01-02T03:04:05Z'),
};

describe('buildMedicationRequest', () => {
  it('builds an active order with RxNorm coding, dispense request, pharmacy and reason', () => {
    const mr = buildMedicationRequest(body(), facts);
    expect(mr).toMatchObject({
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      requester: { reference: 'Practitioner/dr1' },
    });
    expect(mr.medicationCodeableConcept?.coding?.[0]).toEqual({
      system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
      code: '314076',
      display: 'lisinopril 10 MG Oral Tablet',
    });
    expect(mr.dispenseRequest).toMatchObject({
      numberOfRepeatsAllowed: 3,
      quantity: { value: 30, code: '{tablet}' },
      expectedSupplyDuration: { value: 30, code: 'd' },
      performer: { reference: 'Organization/org-1' },
      validityPeriod: { start: '2026-01-02' },
    });
    expect(mr.reasonCode?.[0]?.coding?.[0]?.code).toBe('38341003');
    expect(mr.extension).toBeUndefined();
  });

  it('records an override as an extension and a note, and flags controlled substances for EPCS', () => {
    const f: Finding = {
      kind: 'drug-allergy',
      id: 'allergy-1',
      severity: 'major',
      message: 'm',
      drug: { role: 'proposed', system: 'rxnorm', code: '1', display: 'x' },
      allergy: { display: 'y', codes: [] },
      matchType: 'class',
      certainty: 'confirmed',
      ingredient: { rxcui: '1', name: 'x' },
    };
    const mr = buildMedicationRequest(body({ override: { reason: 'tolerated before' } }), {
      ...facts,
      schedule: 'II',
      overridden: [f],
    });
    const ext = mr.extension!.find((e) => e.url === EXT_SAFETY_OVERRIDE)!;
    expect(ext.extension).toEqual(
      expect.arrayContaining([
        { url: 'reason', valueString: 'tolerated before' },
        { url: 'finding', valueString: 'allergy-1' },
        { url: 'by', valueReference: { reference: 'Practitioner/dr1' } },
      ]),
    );
    expect(mr.note?.some((n) => n.text.includes('tolerated before'))).toBe(true);
    expect(mr.extension).toEqual(
      expect.arrayContaining([
        { url: EXT_DEA_SCHEDULE, valueCode: 'II' },
        { url: EXT_REQUIRES_EPCS, valueBoolean: true },
      ]),
    );
  });

  it('discontinue sets stopped with the reason and keeps history in notes', () => {
    const mr = buildMedicationRequest(body(), facts);
    const stopped = discontinued(mr, { reason: 'Cough', by: { reference: 'Practitioner/dr1' }, now: facts.now });
    expect(stopped.status).toBe('stopped');
    expect(stopped.statusReason?.text).toBe('Cough');
    expect(stopped.note?.at(-1)?.text).toBe('Discontinued: Cough');
  });

  it('rejects out-of-range refills, zero quantity and impossible dates in the schema', () => {
    const bad = PrescribeBody.safeParse({
      ...body(),
      dispense: { quantity: { value: 0, unit: 'tablet' }, numberOfRepeatsAllowed: 12, expectedSupplyDays: 30 },
      startDate: '2026-02-30',
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'dispense.numberOfRepeatsAllowed',
      'dispense.quantity.value',
      'startDate',
    ]);
  });
});
