import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../core/api/api-error';
import { breakGlassOffer, displayName } from './patient-api';

test('break-glass is offered only for PATIENT_ACCESS_DENIED with a link', () => {
  const denied = new ApiError(403, {
    error: {
      code: 'PATIENT_ACCESS_DENIED',
      message: 'no',
      details: { patientId: 'p1', breakGlass: '/api/patients/p1/break-glass' },
    },
  });
  assert.equal(breakGlassOffer(denied), '/api/patients/p1/break-glass');
  assert.equal(
    breakGlassOffer(
      new ApiError(403, { error: { code: 'PATIENT_ACCESS_DENIED', message: 'no', details: { patientId: 'p1' } } }),
    ),
    undefined,
  );
  assert.equal(breakGlassOffer(new ApiError(403, { error: { code: 'FORBIDDEN', message: 'no' } })), undefined);
  assert.equal(breakGlassOffer(new Error('x')), undefined);
});

test('names as people read them', () => {
  assert.equal(displayName({ family: 'Garcia', given: ['Maria', 'Elena'] }), 'Garcia, Maria Elena');
  assert.equal(displayName({ given: [] }), 'Unnamed patient');
});
