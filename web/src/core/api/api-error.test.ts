import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, describeFieldProblem, isApiErrorBody } from './api-error';
import { toQueryString } from './query-string';

test('ApiError carries the server message, code, request id and field problems', () => {
  const e = new ApiError(400, {
    error: {
      code: 'VALIDATION_FAILED',
      message: 'Invalid request',
      requestId: 'req-1',
      details: [{ field: 'body.password', message: 'too short' }, { nope: 1 }],
    },
  });
  assert.equal(e.message, 'Invalid request');
  assert.equal(e.code, 'VALIDATION_FAILED');
  assert.equal(e.requestId, 'req-1');
  assert.deepEqual(e.fieldProblems, [{ field: 'body.password', message: 'too short' }]);
  assert.equal(describeFieldProblem(e.fieldProblems[0]!), 'password: too short');
});

test('ApiError without a body still says something useful', () => {
  assert.equal(new ApiError(502, undefined).message, 'Request failed (502)');
  assert.equal(new ApiError(502, undefined).code, 'HTTP_502');
  assert.equal(new ApiError(0, undefined, 'offline').code, 'NETWORK_ERROR');
  assert.deepEqual(
    new ApiError(403, { error: { code: 'X', message: 'm', details: { patientId: 'p' } } }).fieldProblems,
    [],
  );
});

test('isApiErrorBody recognises only the error shape', () => {
  assert.ok(isApiErrorBody({ error: { code: 'A', message: 'b' } }));
  assert.ok(!isApiErrorBody({ error: 'x' }));
  assert.ok(!isApiErrorBody(null));
  assert.ok(!isApiErrorBody({ resourceType: 'OperationOutcome' }));
});

test('query strings leave out empty filters and encode values', () => {
  assert.equal(toQueryString(undefined), '');
  assert.equal(toQueryString({ a: '', b: undefined, c: null }), '');
  assert.equal(
    toQueryString({ user: 'dr.wilson', limit: 50, action: 'a b&c' }),
    '?user=dr.wilson&limit=50&action=a+b%26c',
  );
});

test('a 429 tells how long to wait', () => {
  assert.equal(
    new ApiError(429, {
      error: { code: 'RATE_LIMIT_EXCEEDED', message: 'slow down', details: { retryAfterSeconds: 8.17 } },
    }).retryAfterSeconds,
    9,
  );
  assert.equal(
    new ApiError(400, { error: { code: 'X', message: 'm', details: { retryAfterSeconds: 8 } } }).retryAfterSeconds,
    undefined,
  );
});
