import assert from 'node:assert/strict';
import { test } from 'node:test';
import { epcsStatus } from './admin-api';

test('EPCS status as an admin reads it', () => {
  const base = { role: 'physician' as const, epcsEnabled: false, deaNumber: 'AB1234567' };
  assert.equal(epcsStatus({ ...base, epcsApprovals: 0 }), 'Not approved');
  assert.equal(epcsStatus({ ...base, epcsApprovals: 1 }), 'Needs a second admin');
  assert.equal(epcsStatus({ ...base, epcsApprovals: 2, epcsEnabled: true }), 'EPCS enabled');
  assert.equal(epcsStatus({ ...base, epcsApprovals: 2, deaNumber: undefined }), 'Approved; DEA number missing');
  assert.equal(epcsStatus({ ...base, role: 'nurse', epcsApprovals: 0 }), 'Not a prescriber');
});
