import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../core/api/api-error';
import { overrideRequired, stepUpRequired } from './medications-api';

test('the 409 SAFETY_OVERRIDE_REQUIRED answer gives its findings and the blocking ids', () => {
  const err = new ApiError(409, {
    error: {
      code: 'SAFETY_OVERRIDE_REQUIRED',
      message: 'm',
      details: {
        findings: [{ id: 'f1', kind: 'drug-drug', severity: 'major', message: 'x', ruleId: 'r' }],
        blockingFindingIds: ['f1'],
      },
    },
  });
  assert.deepEqual(overrideRequired(err), {
    findings: [{ id: 'f1', kind: 'drug-drug', severity: 'major', message: 'x', ruleId: 'r' }],
    blockingFindingIds: ['f1'],
  });
  assert.equal(overrideRequired(new ApiError(409, { error: { code: 'VERSION_CONFLICT', message: 'm' } })), undefined);
  assert.equal(overrideRequired(new Error('x')), undefined);
});

test('EPCS: only 401 STEP_UP_REQUIRED asks for the step-up dialog', () => {
  assert.ok(stepUpRequired(new ApiError(401, { error: { code: 'STEP_UP_REQUIRED', message: 'm' } })));
  assert.ok(!stepUpRequired(new ApiError(403, { error: { code: 'EPCS_NOT_GRANTED', message: 'm' } })));
  assert.ok(!stepUpRequired(new ApiError(401, { error: { code: 'AUTHENTICATION_FAILED', message: 'm' } })));
});

test('renew, modify and reconciliation answer a blocked order with 422, naming the reconciliation line', () => {
  const err = new ApiError(422, {
    error: {
      code: 'SAFETY_OVERRIDE_REQUIRED',
      message: 'm',
      details: { findings: [], blockingFindingIds: ['f'], lineKey: 'L1' },
    },
  });
  assert.deepEqual(overrideRequired(err), { findings: [], blockingFindingIds: ['f'], lineKey: 'L1' });
  assert.equal(
    overrideRequired(new ApiError(422, { error: { code: 'ORDER_NOT_STRUCTURED', message: 'm' } })),
    undefined,
  );
});
