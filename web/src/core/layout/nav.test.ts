import assert from 'node:assert/strict';
import { test } from 'node:test';
import { permissionsOf, ROLES, type Permission, type Role } from '@wintehr/contracts';
import { navItemsFor } from './nav';

const labels = (role: string, permissions: Permission[]) =>
  navItemsFor({ role: role as never, permissions }).map((i) => i.label);

test('navigation follows permissions', () => {
  assert.deepEqual(labels('admin', ['patient:read', 'user:manage', 'audit:view', 'break-glass:review']), [
    'Home',
    'Patients',
    'Users',
    'Audit trail',
    'Break-glass review',
    'SMART apps',
    'Account security',
  ]);
  assert.deepEqual(labels('physician', ['patient:read', 'medication:prescribe']), [
    'Home',
    'Patients',
    'In-basket',
    'Account security',
  ]);
});

test('a pharmacist gets the dispense queue, inventory and CS log; an admin with the same permission does not (no pharmacy)', () => {
  assert.deepEqual(labels('pharmacist', ['patient:read', 'medication:dispense', 'medication:verify']), [
    'Home',
    'Patients',
    'Dispense queue',
    'Pharmacy inventory',
    'Controlled-substance log',
    'Account security',
  ]);
  assert.ok(!labels('admin', ['patient:read', 'medication:dispense', 'user:manage']).includes('Dispense queue'));
  assert.ok(
    !labels('admin', ['patient:read', 'medication:dispense', 'user:manage']).includes('Controlled-substance log'),
  );
});

test('SMART client administration needs system:config or user:manage, either one', () => {
  assert.ok(labels('admin', ['system:config']).includes('SMART apps'));
  assert.ok(labels('admin', ['user:manage']).includes('SMART apps'));
  assert.ok(!labels('physician', ['patient:read', 'smart:launch']).includes('SMART apps'));
});

test('a portal patient has patient:read but no patient search', () => {
  assert.deepEqual(labels('patient', ['patient:read']), [
    'Home',
    'My record',
    'Test results',
    'Messages and refills',
    'Appointments',
    'Insurance',
    'Who opened my chart',
    'Download my record',
    'Account security',
  ]);
});

test('the schedule is for clinicians who see patients (patient:write), never a portal patient or pharmacist', () => {
  assert.ok(labels('physician', ['patient:read', 'patient:write']).includes('Schedule'));
  assert.ok(labels('nurse', ['patient:read', 'patient:write']).includes('Schedule'));
  assert.ok(!labels('pharmacist', ['patient:read', 'medication:dispense']).includes('Schedule'));
  assert.ok(!labels('patient', ['patient:read', 'patient:write']).includes('Schedule'));
});

test("acting for a 12–17 year old, the menu offers only the pages that proxy's tier allows", () => {
  const limited = new Set(['allergies', 'immunizations', 'visits', 'appointments', 'coverage', 'messages', 'requests']);
  const items = navItemsFor({ role: 'patient', permissions: ['patient:read'] }, (a) => limited.has(a)).map(
    (i) => i.label,
  );
  assert.deepEqual(items, [
    'Home',
    'My record',
    'Messages and refills',
    'Appointments',
    'Insurance',
    'Account security',
  ]);
});

test('the imaging worklist is a radiologist entry (imaging:report): no other role holds it', () => {
  const ofRole = (role: Role) => navItemsFor({ role, permissions: [...permissionsOf(role)] }).map((i) => i.label);
  for (const role of ROLES)
    assert.equal(ofRole(role).includes('Imaging worklist'), role === 'radiologist', `${role} and the worklist`);
  assert.equal(
    navItemsFor({ role: 'radiologist', permissions: [...permissionsOf('radiologist')] }).find(
      (i) => i.label === 'Imaging worklist',
    )?.to,
    '/imaging/worklist',
  );
});
