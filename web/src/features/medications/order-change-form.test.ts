import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReconciliationLine } from '@wintehr/contracts';
import {
  actionsFor,
  choiceProblem,
  defaultChoice,
  discontinueBody,
  dosageFormOf,
  frequencyFromSig,
  modifyBody,
  prescriptionFromLine,
  reconciliationBody,
  renewBody,
  renewFormOf,
  renewProblem,
} from './order-change-form';

const order: fhir4.MedicationRequest = {
  resourceType: 'MedicationRequest',
  id: 'mr-1',
  meta: { versionId: '4' },
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p' },
  dosageInstruction: [
    {
      text: '25 mg oral, 2 times per day',
      route: { coding: [{ code: '26643006' }] },
      timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } },
      doseAndRate: [{ doseQuantity: { value: 25, code: 'mg' } }],
    },
  ],
  dispenseRequest: {
    quantity: { value: 60, code: '{tablet}' },
    numberOfRepeatsAllowed: 2,
    expectedSupplyDuration: { value: 30 },
  },
};

test('modify starts from the order on screen and sends the version it showed', () => {
  const f = dosageFormOf(order);
  assert.deepEqual(f, { doseValue: '25', doseUnit: 'mg', route: 'oral', frequencyId: 'BID' });
  const body = modifyBody({ ...f, doseValue: '50', frequencyId: 'QD' }, '4', 'BP low', undefined);
  assert.deepEqual(body, {
    dosage: { dose: { value: 50, unit: 'mg' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
    ifMatch: '4',
    reason: 'BP low',
  });
  assert.deepEqual(modifyBody(f, undefined, '', { reason: 'checked, fine' }).override, { reason: 'checked, fine' });
});

test('renew keeps the unit and sends the edited refills, quantity and days', () => {
  const f = renewFormOf(order);
  assert.deepEqual(f, { quantity: '60', refills: '2', daysSupply: '30' });
  assert.equal(renewProblem({ ...f, refills: '12' }), 'Refills: 0 to 11');
  assert.equal(renewProblem({ ...f, quantity: '0' }), 'Quantity must be greater than 0');
  assert.deepEqual(renewBody({ ...f, refills: '5' }, order, '4').dispense, {
    quantity: { value: 60, unit: '{tablet}' },
    numberOfRepeatsAllowed: 5,
    expectedSupplyDays: 30,
  });
});

test('discontinue sends the coded reason, the comment wins as text', () => {
  assert.deepEqual(discontinueBody('sintol', '', '3'), {
    reason: 'Suspected intolerance',
    reasonCode: {
      system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-status-reason',
      code: 'sintol',
      display: 'Suspected intolerance',
    },
    ifMatch: '3',
  });
  assert.equal(discontinueBody('sintol', 'Cough since start', undefined).reason, 'Cough since start');
});

const line = (o: Partial<ReconciliationLine>): ReconciliationLine => ({
  key: 'k',
  display: 'atorvastatin',
  ingredients: [],
  status: 'only-in-history',
  unidentified: false,
  ...o,
});
const history = {
  display: 'Atorvastatin 20 MG Oral Tablet',
  rxnorm: '617310',
  sig: 'Take 1 tablet by mouth twice daily',
  fills: 1,
};

test('reading a sig for doses a day', () => {
  assert.equal(frequencyFromSig('Take 1 tablet by mouth twice daily'), 'BID');
  assert.equal(frequencyFromSig('every 8 hours as needed'), 'Q8H');
  assert.equal(frequencyFromSig('at bedtime'), 'QD');
});

test('a drug seen only outside can be added to orders with the fill as the prescription', () => {
  const l = line({ history });
  assert.deepEqual(actionsFor(l), ['skip', 'add-to-orders']);
  const rx = prescriptionFromLine(l)!;
  assert.equal(rx.medication.code, '617310');
  assert.deepEqual(rx.dosage.dose, { value: 1, unit: '{tablet}' });
  assert.equal(rx.dosage.frequency, 2);
  assert.equal(rx.dispense.quantity.value, 60);
  // An inhaler's dose is not "one unit": the prescriber uses Prescribe instead.
  assert.equal(prescriptionFromLine(line({ history: { ...history, display: 'Albuterol Inhaler' } })), undefined);
});

test('decisions: discontinue needs a reason; skipped lines are not sent; matched orders default to continue', () => {
  const ordered = line({
    key: 'a',
    status: 'matched',
    order: { medicationRequestId: 'mr-1', display: 'x', status: 'active' },
    patientReported: { medicationStatementId: 'ms-1', display: 'y', status: 'active' },
  });
  const outside = line({ key: 'b', history });
  const other = line({
    key: 'c',
    status: 'only-patient-reported',
    patientReported: { medicationStatementId: 'ms-2', display: 'z', status: 'active' },
  });
  assert.equal(defaultChoice(ordered).action, 'continue');
  assert.equal(defaultChoice(outside).action, 'skip');
  assert.equal(choiceProblem(ordered, { action: 'discontinue', reason: '' }), 'Give a reason (at least 3 characters)');
  assert.equal(choiceProblem(outside, { action: 'discontinue', reason: 'because' }), 'Not possible for this line');
  const body = reconciliationBody(
    [ordered, outside, other],
    {
      a: { action: 'discontinue', reason: 'Stopped by cardiology' },
      b: { action: 'add-to-orders', reason: '', override: 'Benefit outweighs risk' },
      c: { action: 'skip', reason: '' },
    },
    ' ',
  )!;
  assert.deepEqual(body.decisions[0], {
    lineKey: 'a',
    reason: 'Stopped by cardiology',
    action: 'discontinue',
    medicationRequestId: 'mr-1',
  });
  assert.equal(body.decisions[1]?.action, 'add-to-orders');
  assert.deepEqual(body.decisions[1]?.prescription?.override, { reason: 'Benefit outweighs risk' });
  assert.equal(body.decisions.length, 2);
  assert.equal(body.note, undefined);
  assert.equal(reconciliationBody([outside], {}, ''), undefined);
});
