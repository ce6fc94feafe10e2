import assert from 'node:assert/strict';
import { test } from 'node:test';
import { doseLabel, flagColor, formErrorsFromServer, vitalSetFromForm, vitalValue, worstFlag } from './chart-rules';

const flagged = (code: string) => ({ interpretation: [{ coding: [{ code }] }] });

test('the vitals form becomes a set: BP as one panel, empty fields left out', () => {
  const r = vitalSetFromForm({ systolic: '128', diastolic: '82', heartRate: '72', temperature: ' ' });
  assert.deepEqual(r.body, {
    measurements: [
      { kind: 'blood-pressure', systolic: 128, diastolic: 82 },
      { kind: 'heart-rate', value: 72, unit: '/min' },
    ],
  });
  assert.deepEqual(r.fieldsOf, [['systolic', 'diastolic'], ['heartRate']]);
});

test('the form refuses half a blood pressure, text and an empty set before asking the server', () => {
  assert.deepEqual(vitalSetFromForm({ systolic: '120' }).errors, { diastolic: 'give both pressures' });
  assert.deepEqual(vitalSetFromForm({ spo2: 'ninety' }).errors, { spo2: 'a number' });
  assert.equal(vitalSetFromForm({}).body, undefined);
});

test("the server's field problems land on the form field they concern", () => {
  const { fieldsOf } = vitalSetFromForm({ systolic: '120', diastolic: '130', spo2: '140' });
  assert.deepEqual(
    formErrorsFromServer(
      [
        { field: 'body.measurements.0.diastolic', message: 'must be lower than the systolic pressure' },
        { field: 'body.measurements.1.value', message: 'implausible' },
      ],
      fieldsOf,
    ),
    { diastolic: 'must be lower than the systolic pressure', spo2: 'implausible' },
  );
});

test('flags: the worst of a BP panel, critical red, out of range amber', () => {
  const bp = { component: [flagged('H'), flagged('N')] } as fhir4.Observation;
  assert.equal(worstFlag(bp), 'H');
  assert.equal(worstFlag({ ...bp, component: [flagged('LL'), flagged('H')] } as fhir4.Observation), 'LL');
  assert.equal(flagColor('HH'), 'error');
  assert.equal(flagColor('L'), 'warning');
  assert.equal(flagColor('N'), 'default');
  assert.equal(
    vitalValue({
      component: [{ valueQuantity: { value: 150, unit: 'mmHg' } }, { valueQuantity: { value: 95 } }],
    } as fhir4.Observation),
    '150/95 mmHg',
  );
});

test('a due dose an hour past its time reads late; documented doses read their outcome', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  assert.equal(doseLabel({ state: 'due', dueAt: '2026-03-10T09:00:00Z' }, now).label, 'Late');
  assert.equal(doseLabel({ state: 'due', dueAt: '2026-03-10T11:30:00Z' }, now).label, 'Due');
  assert.equal(doseLabel({ state: 'not-given', dueAt: '2026-03-10T09:00:00Z' }, now).label, 'Not given');
});
