import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EMPTY_FORM,
  computedQuantity,
  defaultsForDrug,
  draftMedicationRequest,
  drugOfDraft,
  sigText,
  toPrescribeBody,
  validateForm,
  withComputedQuantity,
  withDrug,
  type PrescriptionForm,
} from './prescription';

const ibuprofen = { rxcui: '197806', name: 'ibuprofen 600 MG Oral Tablet', tty: 'SCD' as const };
const filled: PrescriptionForm = {
  ...withDrug(EMPTY_FORM, ibuprofen),
  doseValue: '1',
  frequencyId: 'TID',
  durationDays: '10',
  quantity: '30',
  refills: '0',
  daysSupply: '10',
};

test('a product name implies the dose unit and the route', () => {
  assert.deepEqual(defaultsForDrug('ibuprofen 600 MG Oral Tablet'), { unit: '{tablet}', route: 'oral' });
  assert.deepEqual(defaultsForDrug('amoxicillin 250 MG/5ML Oral Suspension'), { unit: 'mL', route: 'oral' });
  assert.deepEqual(defaultsForDrug('albuterol 0.09 MG/ACTUAT Metered Dose Inhaler'), {
    unit: '{puff}',
    route: 'inhalation',
  });
  assert.deepEqual(defaultsForDrug('something else'), {});
  const changed = withDrug({ ...filled }, { rxcui: '313782', name: 'acetaminophen 325 MG Oral Tablet' });
  assert.equal(changed.doseValue, '', 'a dose belongs to the product it was written for');
  assert.equal(changed.drug?.rxcui, '313782');
});

test('quantity and days supply follow dose × frequency × duration until typed', () => {
  assert.equal(computedQuantity({ ...filled, doseValue: '2', frequencyId: 'BID', durationDays: '7' }), 28);
  assert.equal(computedQuantity({ ...filled, frequencyId: 'Q8H', durationDays: '5' }), 15);
  assert.equal(computedQuantity({ ...filled, asNeeded: true }), undefined, 'PRN: no schedule to multiply');
  assert.equal(computedQuantity({ ...filled, doseUnit: 'mg' }), undefined, 'mg doses of tablets: not computable');
  const f = withComputedQuantity({ ...filled, quantity: '', doseValue: '1', frequencyId: 'QID', durationDays: '5' });
  assert.equal(f.quantity, '20');
  assert.equal(f.daysSupply, '5');
  assert.equal(
    withComputedQuantity({ ...filled, quantity: '99', quantityTouched: true, durationDays: '5' }).quantity,
    '99',
  );
});

test('validation names each field; a complete form has no errors', () => {
  assert.deepEqual(validateForm(filled), {});
  const e = validateForm({ ...EMPTY_FORM, doseValue: '0', refills: '12', daysSupply: '400', durationDays: '2.5' });
  assert.deepEqual(Object.keys(e).sort(), ['daysSupply', 'doseValue', 'drug', 'durationDays', 'quantity', 'refills']);
});

test('the request body matches the API contract (PrescribeBody), with the override when given', () => {
  const body = toPrescribeBody(
    {
      ...filled,
      pharmacy: { organizationId: 'org-1', name: 'Maple' },
      asNeeded: true,
      asNeededReason: 'pain',
      instructions: 'Take with food',
    },
    { reason: 'Benefit outweighs risk', findingIds: ['f1'] },
  );
  assert.deepEqual(body, {
    medication: {
      system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
      code: '197806',
      display: 'ibuprofen 600 MG Oral Tablet',
    },
    dosage: {
      dose: { value: 1, unit: '{tablet}' },
      route: 'oral',
      frequency: 3,
      period: 1,
      periodUnit: 'd',
      asNeeded: true,
      asNeededReason: 'pain',
      text: '1 tablet oral, three times daily, as needed for pain, for 10 days',
      patientInstruction: 'Take with food',
    },
    dispense: {
      quantity: { value: 30, unit: '{tablet}' },
      numberOfRepeatsAllowed: 0,
      expectedSupplyDays: 10,
      pharmacyId: 'org-1',
      substitutionAllowed: true,
    },
    override: { reason: 'Benefit outweighs risk', findingIds: ['f1'] },
  });
  assert.equal(
    sigText({ ...filled, doseValue: '2', frequencyId: 'BID', durationDays: '' }),
    '2 tablets oral, twice daily',
  );
});

test('the CDS draft: product first, dosage and dispense once known; a suggested draft gives back a drug', () => {
  const bare = draftMedicationRequest(withDrug(EMPTY_FORM, ibuprofen), {
    id: 'd1',
    patientId: 'p1',
    requester: 'Practitioner/pr1',
  })!;
  assert.equal(bare.status, 'draft');
  assert.equal(bare.dosageInstruction, undefined);
  assert.deepEqual(bare.requester, { reference: 'Practitioner/pr1' });
  const full = draftMedicationRequest(filled, { id: 'd1', patientId: 'p1' })!;
  assert.deepEqual(full.dosageInstruction?.[0]?.timing, { repeat: { frequency: 3, period: 1, periodUnit: 'd' } });
  assert.equal(full.dosageInstruction?.[0]?.route?.coding?.[0]?.code, '26643006');
  assert.equal(full.dispenseRequest?.quantity?.value, 30);
  assert.equal(draftMedicationRequest(EMPTY_FORM, { id: 'd', patientId: 'p' }), undefined);
  assert.deepEqual(drugOfDraft(full), { rxcui: '197806', name: 'ibuprofen 600 MG Oral Tablet' });
});
