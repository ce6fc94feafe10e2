import { ModifyBody, PrescribeBody, RenewBody } from '@wintehr/contracts';
import type { Finding } from '../drug-safety';
import { buildMedicationRequest } from './medication-request';
import { modificationInput, prescribeInputOf, renewalInput, replacementLinks, supersededOrder } from './order-change';

const original = PrescribeBody.parse({
  medication: { code: '866924' },
  dosage: {
    dose: { value: 25, unit: 'mg' },
    route: 'oral',
    frequency: 2,
    period: 1,
    periodUnit: 'd',
    text: 'Take one tablet twice daily',
    patientInstruction: 'with food',
  },
  dispense: {
    quantity: { value: 60, unit: 'tablet' },
    numberOfRepeatsAllowed: 2,
    expectedSupplyDays: 30,
    pharmacyId: 'org-1',
    substitutionAllowed: false,
  },
  reason: { text: 'Hypertension' },
  encounterId: 'enc-1',
  note: 'first note',
  override: { reason: 'benefit outweighs risk' },
});

const order = (): fhir4.MedicationRequest => ({
  ...buildMedicationRequest(original, {
    patientId: 'p1',
    requester: { reference: 'Practitioner/dr1' },
    productName: 'metoprolol tartrate 25 MG Oral Tablet',
    overridden: [{ id: 'f1', severity: 'major' } as Finding],
    prescriptionId: 'rx-1',
    now: new Date('2026-01-02T03:04:05Z'),
  }),
  id: 'mr-1',
  meta: { versionId: '3' },
});

describe('prescribeInputOf', () => {
  it('reads an order back into the prescribe input it was written from', () => {
    const r = prescribeInputOf(order());
    if (!r.ok) throw new Error(r.problems.join());
    expect(r.body.medication.code).toBe('866924');
    expect(r.body.dosage).toMatchObject({
      dose: { value: 25, unit: 'mg' },
      route: '26643006',
      frequency: 2,
      period: 1,
      periodUnit: 'd',
      text: 'Take one tablet twice daily',
      patientInstruction: 'with food',
    });
    expect(r.body.dispense).toEqual({
      quantity: { value: 60, unit: '{tablet}' },
      numberOfRepeatsAllowed: 2,
      expectedSupplyDays: 30,
      pharmacyId: 'org-1',
      substitutionAllowed: false,
    });
    expect(r.body.reason).toEqual({ text: 'Hypertension' });
    // Overrides are never carried over: the old reason answered the old findings.
    expect(r.body.override).toBeUndefined();
  });

  it('drops the written sig when asked, so a new dose gets its own', () => {
    const r = prescribeInputOf(order(), false);
    expect(r.ok && r.body.dosage.text).toBeFalsy();
  });

  it('names what is missing from an order that was not prescribed with structure', () => {
    const mr = order();
    mr.dosageInstruction = [{ text: 'one daily' }];
    delete mr.medicationCodeableConcept!.coding;
    const r = prescribeInputOf(mr);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([
      'the order is not coded in RxNorm',
      'the order has no structured dose',
      'the order has no coded route',
      'the order has no structured frequency',
    ]);
  });
});

describe('renewalInput / modificationInput', () => {
  const old = (() => {
    const r = prescribeInputOf(order());
    if (!r.ok) throw new Error('fixture');
    return r.body;
  })();

  it('renews with the same sig, editable refills and quantity, a new start and a fresh override only', () => {
    const renew = RenewBody.parse({ dispense: { numberOfRepeatsAllowed: 5, quantity: { value: 90, unit: 'tablet' } } });
    const b = renewalInput(old, renew, '2026-03-01');
    expect(b.dosage).toEqual(old.dosage);
    expect(b.dispense).toMatchObject({ numberOfRepeatsAllowed: 5, quantity: { value: 90, unit: 'tablet' } });
    expect(b.dispense.expectedSupplyDays).toBe(30);
    expect(b.startDate).toBe('2026-03-01');
    expect(b.override).toBeUndefined();
    expect(b.encounterId).toBeUndefined();
    expect(
      renewalInput(old, RenewBody.parse({ override: { reason: 'still needed, monitored' } }), 'x').override,
    ).toEqual({ reason: 'still needed, monitored' });
  });

  it('modifies to the new dosage and keeps drug and dispense', () => {
    const m = ModifyBody.parse({
      dosage: { dose: { value: 50, unit: 'mg' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
    });
    const b = modificationInput(old, m, '2026-03-01');
    expect(b.medication).toEqual(old.medication);
    expect(b.dosage.dose.value).toBe(50);
    expect(b.dosage.text).toBeUndefined();
    expect(b.dispense).toEqual(old.dispense);
  });
});

describe('supersededOrder / replacementLinks', () => {
  const by = { reference: 'Practitioner/dr2' };
  const now = new Date('2026-03-01T10:00:00Z');

  it('completes a renewed order and stops a changed one with the reason "changed"', () => {
    const renewed = supersededOrder(order(), 'renew', { by, now, replacedBy: 'urn:uuid:x' });
    expect(renewed.status).toBe('completed');
    expect(renewed.statusReason).toBeUndefined();
    const changed = supersededOrder(order(), 'modify', { by, now, replacedBy: 'urn:uuid:x', reason: 'BP low' });
    expect(changed.status).toBe('stopped');
    expect(changed.statusReason?.coding?.[0]?.code).toBe('changed');
    expect(changed.statusReason?.text).toBe('Changed: BP low');
    const ext = changed.extension?.find((e) => e.url.endsWith('/replaced-by'));
    expect(ext?.extension?.find((e) => e.url === 'order')?.valueReference?.reference).toBe('urn:uuid:x');
    // The old notes stay; one is added.
    expect(changed.note?.length).toBe((order().note?.length ?? 0) + 1);
  });

  it('links the new order to the one it replaces', () => {
    expect(replacementLinks(order())).toEqual({ priorPrescription: { reference: 'MedicationRequest/mr-1' } });
  });
});
