import assert from 'node:assert/strict';
import { test } from 'node:test';
import { permissionsOf, type Permission } from '@wintehr/contracts';
import { chartTabsFor, tabForPath } from './chart-tabs';

const ids = (role: string, permissions: Permission[]) =>
  chartTabsFor({ role: role as never, permissions }).map((t) => t.id);

test('a physician sees every chart tab', () => {
  assert.deepEqual(
    ids('physician', [
      'patient:read',
      'medication:view',
      'results:view',
      'document:read',
      'order:view',
      'smart:launch',
    ]),
    [
      'summary',
      'problems',
      'medications',
      'mar',
      'allergies',
      'vitals',
      'immunizations',
      'social',
      'results',
      'notes',
      'orders',
      'timeline',
      'apps',
    ],
  );
});

test('tabs a role cannot use are hidden: a pharmacist has no notes, orders or apps; a lab technician no medications or notes', () => {
  const pharmacist = ids('pharmacist', [
    'patient:read',
    'medication:view',
    'medication:dispense',
    'results:view',
    'cds:feedback',
  ]);
  assert.deepEqual(pharmacist, [
    'summary',
    'problems',
    'medications',
    'mar',
    'allergies',
    'vitals',
    'immunizations',
    'social',
    'results',
    'timeline',
  ]);
  const lab = ids('lab_technician', ['patient:read', 'order:view', 'results:create', 'results:view']);
  assert.deepEqual(lab, [
    'summary',
    'problems',
    'allergies',
    'vitals',
    'immunizations',
    'social',
    'results',
    'orders',
    'timeline',
  ]);
});

test('an admin (read-only views, used under break the glass) gets no Apps tab: launching apps is clinical', () => {
  const admin = ids('admin', [...permissionsOf('admin')]);
  assert.ok(!admin.includes('apps'));
  assert.ok(admin.includes('notes'));
});

test('a URL naming a hidden or unknown tab opens the first usable one', () => {
  const tabs = chartTabsFor({ role: 'pharmacist', permissions: ['patient:read', 'medication:view'] });
  assert.equal(tabForPath('/patients/p1/medications', tabs), 'medications');
  assert.equal(tabForPath('/patients/p1/notes', tabs), 'summary');
  assert.equal(tabForPath('/patients/p1/bogus', tabs), 'summary');
  assert.equal(tabForPath('/patients/p1', tabs), 'summary');
});
