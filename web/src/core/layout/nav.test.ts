import assert from 'node:assert/strict';
import { test } from 'node:test';
import { navItemsFor } from './nav';

const labels = (role: string, permissions: string[]) => navItemsFor({ role: role as never, permissions }).map((i) => i.label);

test('navigation follows permissions', () => {
  assert.deepEqual(labels('admin', ['patient:read', 'user:manage', 'audit:view', 'break-glass:review']),
    ['Home', 'Patients', 'Users', 'Audit trail', 'Break-glass review', 'Account security']);
  assert.deepEqual(labels('physician', ['patient:read', 'medication:prescribe']), ['Home', 'Patients', 'Account security']);
});

test('a portal patient has patient:read but no patient search', () => {
  assert.deepEqual(labels('patient', ['patient:read']), ['Home', 'Account security']);
});
