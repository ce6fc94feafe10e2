import assert from 'node:assert/strict';
import { test } from 'node:test';
import { permissionsOf, type Role } from '@wintehr/contracts';
import { mayAccess } from './access';
import { ROUTE_ACCESS } from './route-access';

/** The permissions GET /api/auth/me gives each role: the shared contract's table, not a copy. */
const as = (role: Role) => ({ role, permissions: [...permissionsOf(role)] });
const PATIENT = as('patient');
const PHYSICIAN = as('physician');
const ADMIN = as('admin');
const PHARMACIST = as('pharmacist');

test('a portal patient never reaches patient search or the clinician chart, though it holds patient:read', () => {
  assert.equal(mayAccess(PATIENT, ROUTE_ACCESS.chart), false);
  assert.equal(mayAccess(PATIENT, ROUTE_ACCESS.patients), false);
  assert.equal(mayAccess(PATIENT, ROUTE_ACCESS.home), true);
  assert.equal(mayAccess(PATIENT, ROUTE_ACCESS.accountSecurity), true);
});

test('clinical staff reach charts; administration pages need their permission', () => {
  assert.equal(mayAccess(PHYSICIAN, ROUTE_ACCESS.chart), true);
  assert.equal(mayAccess(PHYSICIAN, ROUTE_ACCESS.audit), false);
  assert.equal(mayAccess(ADMIN, ROUTE_ACCESS.audit), true);
  assert.equal(mayAccess(ADMIN, ROUTE_ACCESS.users), true);
  // An admin searches patients to break the glass or assign them; the chart itself then needs a grant (API).
  assert.equal(mayAccess(ADMIN, ROUTE_ACCESS.chart), true);
});

test('the pharmacy is the pharmacist’s workplace; SMART client admin takes either permission', () => {
  assert.equal(mayAccess(PHARMACIST, ROUTE_ACCESS.pharmacy), true);
  assert.equal(
    mayAccess({ ...ADMIN, permissions: [...ADMIN.permissions, 'medication:dispense'] }, ROUTE_ACCESS.pharmacy),
    false,
  );
  assert.equal(mayAccess({ role: 'admin', permissions: ['system:config'] }, ROUTE_ACCESS.smartClients), true);
  assert.equal(mayAccess({ role: 'admin', permissions: ['user:manage'] }, ROUTE_ACCESS.smartClients), true);
  assert.equal(mayAccess(PHYSICIAN, ROUTE_ACCESS.smartClients), false);
});

test('nobody signed in reaches anything', () => {
  assert.equal(mayAccess(undefined, ROUTE_ACCESS.home), false);
});
