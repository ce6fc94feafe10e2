import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageInYears, localInputToIso } from './format';
import { epcsStatus } from '../features/admin/admin-api';
import { breakGlassOffer, conceptText, displayName } from '../features/patient/patient-api';
import { ApiError } from './api/api-error';

test('age in whole years, birthday not yet reached this year', () => {
  const now = new Date(2026, 10, 23);
  assert.equal(ageInYears('1960-05-03', now), 66);
  assert.equal(ageInYears('1960-12-01', now), 65);
  assert.equal(ageInYears('2026-11-23', now), 0);
  assert.equal(ageInYears('not-a-date', now), undefined);
  assert.equal(ageInYears(undefined, now), undefined);
});

test('datetime-local input to ISO', () => {
  assert.equal(localInputToIso(''), undefined);
  assert.equal(localInputToIso('garbage'), undefined);
  assert.equal(localInputToIso('2026-11-23T10:00'), new Date('2026-11-23T10:00').toISOString());
});

test('EPCS status as an admin reads it', () => {
  const base = { role: 'physician' as const, epcsEnabled: false, deaNumber: 'AB1234567' };
  assert.equal(epcsStatus({ ...base, epcsApprovals: 0 }), 'Not approved');
  assert.equal(epcsStatus({ ...base, epcsApprovals: 1 }), 'Needs a second admin');
  assert.equal(epcsStatus({ ...base, epcsApprovals: 2, epcsEnabled: true }), 'EPCS enabled');
  assert.equal(epcsStatus({ ...base, epcsApprovals: 2, deaNumber: undefined }), 'Approved; DEA number missing');
  assert.equal(epcsStatus({ ...base, role: 'nurse', epcsApprovals: 0 }), 'Not a prescriber');
});

test('break-glass is offered only for PATIENT_ACCESS_DENIED with a link', () => {
  const denied = new ApiError(403, { error: { code: 'PATIENT_ACCESS_DENIED', message: 'no', details: { patientId: 'p1', breakGlass: '/api/patients/p1/break-glass' } } });
  assert.equal(breakGlassOffer(denied), '/api/patients/p1/break-glass');
  assert.equal(breakGlassOffer(new ApiError(403, { error: { code: 'PATIENT_ACCESS_DENIED', message: 'no', details: { patientId: 'p1' } } })), undefined);
  assert.equal(breakGlassOffer(new ApiError(403, { error: { code: 'FORBIDDEN', message: 'no' } })), undefined);
  assert.equal(breakGlassOffer(new Error('x')), undefined);
});

test('names and concepts as people read them', () => {
  assert.equal(displayName({ family: 'Garcia', given: ['Maria', 'Elena'] }), 'Garcia, Maria Elena');
  assert.equal(displayName({ given: [] }), 'Unnamed patient');
  assert.equal(conceptText({ coding: [{ code: '123' }, { code: '9', display: 'Asthma' }] }), 'Asthma');
  assert.equal(conceptText({ text: 'Free text', coding: [{ display: 'x' }] }), 'Free text');
  assert.equal(conceptText(undefined), '—');
});
