import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cdsUserId, draftOrdersBundle, orderSelectRequest, orderSignRequest, rxnormOf } from './hook-requests';

const mr: fhir4.MedicationRequest = {
  resourceType: 'MedicationRequest',
  id: 'draft-1',
  status: 'draft',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  medicationCodeableConcept: {
    coding: [
      {
        system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
        code: '197806',
        display: 'ibuprofen 600 MG Oral Tablet',
      },
    ],
  },
};

test('order-select carries the drafts as a Bundle and the selections', () => {
  const r = orderSelectRequest({
    hookInstance: 'h-1',
    userId: 'Practitioner/pr1',
    patientId: 'p1',
    drafts: [mr],
    selections: ['MedicationRequest/draft-1'],
    prefetch: { patient: null },
  });
  assert.equal(r.hook, 'order-select');
  assert.deepEqual(r.context, {
    userId: 'Practitioner/pr1',
    patientId: 'p1',
    selections: ['MedicationRequest/draft-1'],
    draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: mr }] },
  });
  assert.deepEqual(r.prefetch, { patient: null });
});

test('order-sign has no selections; the encounter is passed when known', () => {
  const r = orderSignRequest({
    hookInstance: 'h-2',
    userId: 'Practitioner/pr1',
    patientId: 'p1',
    encounterId: 'e1',
    drafts: [mr],
  });
  assert.equal(r.hook, 'order-sign');
  assert.equal((r.context as { selections?: unknown }).selections, undefined);
  assert.equal(r.context.encounterId, 'e1');
  assert.equal(r.prefetch, undefined);
  assert.deepEqual(draftOrdersBundle([]), { resourceType: 'Bundle', type: 'collection', entry: [] });
});

test('only a Practitioner can be the ordering user; the RxNorm coding is found', () => {
  assert.equal(cdsUserId('Practitioner/practitioner-wilson'), 'Practitioner/practitioner-wilson');
  assert.equal(cdsUserId('Patient/p1'), undefined);
  assert.equal(cdsUserId(undefined), undefined);
  assert.equal(rxnormOf(mr)?.code, '197806');
});
