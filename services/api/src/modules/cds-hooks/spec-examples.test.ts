/**
 * Requests and responses against the CDS Hooks 2.0 specification: requests shaped like the spec's examples are
 * accepted, the spec's response field tables (spec-shape.test-util.ts) accept the spec's example response, and
 * every card each of our services produces from a realistic chart fits them.
 */
import { randomUUID } from 'node:crypto';
import { kb } from '../drug-safety/test-helpers.test-util';
import { issueCards } from './cards';
import { FIXTURE_NOW, fixtureChart, fixtureDrafts, prefetchData, RXNORM } from './cds-fixtures.test-util';
import type { CdsService } from './cds-types';
import { OrderSignContext, PatientViewContext, parseHookRequest } from './hook-request';
import { gatherPrefetch } from './prefetch';
import { resolvePrefetchTemplate } from './prefetch-template';
import { cdsServices } from './services/registry';
import { CardSchema, DiscoverySchema, ResponseSchema, shapeProblems } from './spec-shape.test-util';

const services = cdsServices(kb());
const byHook = (hook: string) => services.find((s) => s.definition.hook === hook)! as CdsService<unknown>;

/** A request laid out like the spec's "Calling a CDS Service" example (same members, our own values). */
const specLikeRequest = () => ({
  hookInstance: 'a0b0c2e4-3f1d-4a8e-9b7c-1d2e3f4a5b6c',
  fhirServer: 'https://ehr.example.org/fhir',
  hook: 'patient-view',
  fhirAuthorization: {
    access_token: 'opaque-token',
    token_type: 'Bearer',
    expires_in: 300,
    scope: 'patient/Patient.read patient/Observation.read',
    subject: 'wintehr-cds',
  },
  context: { userId: 'Practitioner/example', patientId: '1288992', encounterId: '89284' },
  prefetch: {
    someOtherServiceKey: { resourceType: 'Patient', id: '1288992', gender: 'male', birthDate: '1925-12-23' },
  },
});

describe('requests shaped like the specification examples', () => {
  const pv = byHook('patient-view');
  const keys = Object.keys(pv.definition.prefetch);

  it('accepts the example request; prefetch keys the service did not ask for are dropped', () => {
    const r = parseHookRequest(specLikeRequest(), 'patient-view', PatientViewContext, keys).request;
    expect(r.context).toEqual({ userId: 'Practitioner/example', patientId: '1288992', encounterId: '89284' });
    expect(r.prefetch).toEqual({});
  });

  it('ignores a bare value under a key it did not ask for (as in the spec prefetch-data example); one under its own key is not usable', async () => {
    const withUser = { ...specLikeRequest(), prefetch: { user: '123', patient: null } };
    expect(parseHookRequest(withUser, 'patient-view', PatientViewContext, keys).request.prefetch).toEqual({
      patient: null,
    });
    const bad = {
      ...specLikeRequest(),
      fhirServer: undefined,
      fhirAuthorization: undefined,
      prefetch: { ...fixtureChart(), patient: '123' },
    };
    const data = await gatherPrefetch(
      pv.definition.prefetch,
      parseHookRequest(bad, 'patient-view', PatientViewContext, keys).request,
      { timeoutMs: 100, allowedFhirServers: [] },
    );
    expect(data.failed.get('patient')).toBe('prefetch-unexpected-type');
  });

  it('an order-sign request with draft orders as a Bundle', () => {
    const body = {
      hook: 'order-sign',
      hookInstance: randomUUID(),
      context: {
        userId: 'PractitionerRole/123',
        patientId: 'p1',
        encounterId: 'e1',
        draftOrders: {
          resourceType: 'Bundle',
          entry: [
            {
              resource: {
                resourceType: 'MedicationRequest',
                id: 'smart-MedicationRequest-104',
                status: 'draft',
                intent: 'order',
                subject: { reference: 'Patient/p1' },
                medicationCodeableConcept: { coding: [{ system: RXNORM, code: '617314' }] },
              },
            },
          ],
        },
      },
    };
    expect(parseHookRequest(body, 'order-sign', OrderSignContext).request.context.draftOrders.entry).toHaveLength(1);
  });
});

describe('the response shape', () => {
  const exampleResponse = {
    cards: [
      {
        uuid: '7a2c4e1b-9d8f-4c3a-b2e1-0f9e8d7c6b5a',
        summary: 'Example card',
        indicator: 'info',
        detail: 'An example card.',
        source: { label: 'Example service', url: 'https://example.org', icon: 'https://example.org/icon-100px.png' },
        links: [
          { label: 'Guideline', url: 'https://example.org/guideline', type: 'absolute' },
          {
            label: 'Example SMART app',
            url: 'https://smart.example.org/launch',
            type: 'smart',
            appContext: '{"session":1}',
          },
        ],
      },
      {
        summary: 'Another card',
        indicator: 'warning',
        source: { label: 'Example service' },
        overrideReasons: [
          { code: 'patient-refused', system: 'http://example.org/override-reasons', display: 'Patient refused' },
        ],
      },
    ],
  };

  it('accepts a response laid out like the spec example', () => {
    expect(shapeProblems(ResponseSchema, exampleResponse)).toEqual([]);
    expect(shapeProblems(ResponseSchema, { cards: [] })).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a null optional field', { detail: null }],
    ['a summary of 140 characters', { summary: 'x'.repeat(140) }],
    ['an unknown indicator', { indicator: 'hard-stop' }],
    ['an override reason without display', { overrideReasons: [{ code: 'x' }] }],
    [
      'suggestions without selectionBehavior',
      {
        suggestions: [
          {
            label: 'Remove',
            uuid: 'u1',
            actions: [{ type: 'delete', description: 'Remove', resourceId: 'MedicationRequest/1' }],
          },
        ],
      },
    ],
    [
      'a delete action without resourceId',
      {
        selectionBehavior: 'at-most-one',
        suggestions: [{ label: 'Remove', actions: [{ type: 'delete', description: 'Remove' }] }],
      },
    ],
    [
      'appContext on an absolute link',
      { links: [{ label: 'x', url: 'https://x.example', type: 'absolute', appContext: 'y' }] },
    ],
    ['a member the spec does not define', { priority: 1 }],
  ])('rejects a card with %s', (_label, change) => {
    expect(shapeProblems(CardSchema, { ...exampleResponse.cards[0], ...change })).not.toEqual([]);
  });
});

describe('our services against the spec', () => {
  it('discovery lists every service with the required members and templates whose tokens resolve', () => {
    const discovery = { services: services.map((s) => s.definition) };
    expect(shapeProblems(DiscoverySchema, discovery)).toEqual([]);
    for (const s of services) {
      for (const t of Object.values(s.definition.prefetch)) {
        const q = resolvePrefetchTemplate(t, { userId: 'Practitioner/1', patientId: 'p1' });
        expect(q).toBeDefined();
        expect(q).not.toContain('{{');
      }
    }
  });

  const drafts = fixtureDrafts();

  it.each([
    ['patient-view', { userId: 'Practitioner/1', patientId: 'p1' }, ['critical-result', 'drug-allergy', 'preventive']],
    [
      'order-select',
      { userId: 'Practitioner/1', patientId: 'p1', draftOrders: drafts, selections: ['MedicationRequest/d1'] },
      ['ddi:'],
    ],
    [
      'order-sign',
      { userId: 'Practitioner/1', patientId: 'p1', draftOrders: drafts },
      ['ddi:', 'drug-allergy', 'duplicate-order'],
    ],
  ])('%s: every card fits the spec, has a uuid and no null anywhere', (hook, context, expectTopics) => {
    const s = byHook(hook);
    const drafted = s.handle({
      request: { hook, hookInstance: randomUUID(), context },
      data: prefetchData(fixtureChart(), Object.keys(s.definition.prefetch)),
      now: FIXTURE_NOW,
    });
    const response = { cards: issueCards(drafted, randomUUID).cards };
    expect(shapeProblems(ResponseSchema, response)).toEqual([]);
    expect(JSON.stringify(response)).not.toContain('null');
    expect(response.cards.every((c) => c.uuid && c.suggestions?.every((x) => x.uuid) !== false)).toBe(true);
    const topics = response.cards.map((c) => c.source.topic?.code ?? '');
    for (const t of expectTopics) expect(topics.some((x) => x.startsWith(t))).toBe(true);
  });
});
