/**
 * Requests as real CDS clients send them (the cds-hooks sandbox driven in a browser, DSTU2 and R5-style clients),
 * through the whole path a hook call takes: parseHookRequest → gatherPrefetch → the service → issueCards. The
 * sandbox's draft MedicationRequest carries `category` as one object; it must still get the warfarin + NSAID card,
 * and an order whose drug cannot be identified must get a visible "Not checked" card, never an empty answer.
 */
import { randomUUID } from 'node:crypto';
import { kb } from '../drug-safety/test-helpers.test-util';
import { issueCards } from './cards';
import { RXNORM, bundle } from './cds-fixtures.test-util';
import type { CdsCard, CdsService } from './cds-types';
import { UNCHECKED_ORDER_RULE } from './draft-orders';
import { answerHook } from './hook-answer';
import { parseHookRequest } from './hook-request';
import { gatherPrefetch } from './prefetch';
import { cdsServices } from './services/registry';

const WARFARIN_5 = '855332';
const IBUPROFEN_400 = '197806';
const PATIENT = 'smart-1288992';
const services = cdsServices(kb());
const byHook = (hook: string) =>
  services.find((s) => s.definition.hook === hook)! as CdsService<Record<string, unknown>>;

/** The draft order the sandbox builds for a prescribed drug (R4): category as a single CodeableConcept. */
function sandboxDraft(code = IBUPROFEN_400, name = 'Ibuprofen 400 MG Oral Tablet'): Record<string, unknown> {
  return {
    resourceType: 'MedicationRequest',
    id: 'request-123',
    status: 'draft',
    intent: 'order',
    category: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
          code: 'outpatient',
          display: 'Outpatient',
        },
      ],
    },
    authoredOn: '2026-03-10',
    subject: { reference: `Patient/${PATIENT}` },
    medicationCodeableConcept: { text: name, coding: [{ display: name, system: RXNORM, code }] },
    dosageInstruction: [
      {
        doseAndRate: [{ doseQuantity: { value: 1, system: 'http://unitsofmeasure.org', code: '{pill}' } }],
        timing: { repeat: { frequency: 3, period: 1, periodUnit: 'd' } },
      },
    ],
  };
}

/** What the sandbox prefetched from its FHIR server: a patient on warfarin, nothing else. */
function sandboxPrefetch(): Record<string, unknown> {
  const searchset = (...resources: fhir4.FhirResource[]) => ({
    ...bundle(...resources),
    total: resources.length,
    link: [{ relation: 'self', url: 'https://launch.smarthealthit.org/v/r4/fhir/x' }],
  });
  return {
    patient: { resourceType: 'Patient', id: PATIENT, gender: 'male', birthDate: '1925-12-23' },
    medicationRequests: searchset({
      resourceType: 'MedicationRequest',
      id: 'warf',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${PATIENT}` },
      medicationCodeableConcept: {
        coding: [{ system: RXNORM, code: WARFARIN_5, display: 'warfarin sodium 5 MG Oral Tablet' }],
      },
    }),
    medicationStatements: searchset(),
    allergies: searchset(),
    observations: searchset(),
    serviceRequests: searchset(),
  };
}

function sandboxRequest(
  hook: 'order-sign' | 'order-select',
  drafts: unknown[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    hookInstance: randomUUID(),
    hook,
    fhirServer: 'https://launch.smarthealthit.org/v/r4/fhir',
    context: {
      patientId: PATIENT,
      userId: 'Practitioner/COREPRACTITIONER1',
      draftOrders: { resourceType: 'Bundle', entry: drafts.map((resource) => ({ resource })) },
      ...extra,
    },
    prefetch: sandboxPrefetch(),
  };
}

/** The response a client gets for `body` (no FHIR server is ever contacted: everything is prefetched). */
async function cardsFor(body: Record<string, unknown>): Promise<CdsCard[]> {
  const service = byHook(String(body.hook));
  const parsed = parseHookRequest(
    body,
    service.definition.hook,
    service.context,
    Object.keys(service.definition.prefetch),
  );
  const data = await gatherPrefetch(service.definition.prefetch, parsed.request, {
    timeoutMs: 100,
    allowedFhirServers: [],
  });
  return issueCards(answerHook(service, parsed, data, new Date('2026-03-10T12:00:00Z')), randomUUID).cards;
}

const topics = (cards: CdsCard[]) => cards.map((c) => c.source.topic?.code);
const unchecked = (cards: CdsCard[]) => cards.filter((c) => c.source.topic?.code === UNCHECKED_ORDER_RULE);

describe('the cds-hooks sandbox', () => {
  it('order-sign, warfarin on the chart + ibuprofen drafted with category as an object: the interaction card', async () => {
    const cards = await cardsFor(sandboxRequest('order-sign', [sandboxDraft()]));
    const ddi = cards.find((c) => c.source.topic?.code === 'ddi:anticoagulant-nsaid');
    expect(ddi).toMatchObject({ indicator: 'critical' });
    expect(ddi!.suggestions!.flatMap((s) => s.actions ?? [])).toContainEqual(
      expect.objectContaining({ type: 'delete', resourceId: 'MedicationRequest/request-123' }),
    );
    expect(unchecked(cards)).toEqual([]);
  });

  it('the replacement it suggests is a well-formed R4 order (category repaired into a list)', async () => {
    const cards = await cardsFor(sandboxRequest('order-sign', [sandboxDraft()]));
    const create = cards
      .flatMap((c) => c.suggestions ?? [])
      .flatMap((s) => s.actions ?? [])
      .find((a) => a.type === 'create');
    expect(create?.resource).toMatchObject({
      resourceType: 'MedicationRequest',
      category: [{ coding: [expect.objectContaining({ code: 'outpatient' })] }],
    });
  });

  it('order-select with the sandbox shapes: the selected draft is screened', async () => {
    const cards = await cardsFor(
      sandboxRequest('order-select', [sandboxDraft()], { selections: ['MedicationRequest/request-123'] }),
    );
    expect(topics(cards)).toContain('ddi:anticoagulant-nsaid');
  });

  it('a drug chosen but not yet coded (only text) gets a "Not checked" card, not an empty answer', async () => {
    const draft = { ...sandboxDraft(), medicationCodeableConcept: { text: 'ibuprofen' } };
    const cards = await cardsFor(sandboxRequest('order-sign', [draft]));
    expect(unchecked(cards)).toHaveLength(1);
    expect(unchecked(cards)[0]).toMatchObject({
      indicator: 'warning',
      summary: expect.stringMatching(/^Not checked: ibuprofen/),
    });
    expect(unchecked(cards)[0]!.detail).toContain('NOT checked');
  });
});

describe('draft orders with malformed or unusual elements', () => {
  const mutate = (f: (d: Record<string, unknown>) => void) => {
    const d = sandboxDraft();
    f(d);
    return d;
  };

  it.each<[string, Record<string, unknown>]>([
    [
      'dosageInstruction missing',
      mutate((d) => {
        delete d.dosageInstruction;
      }),
    ],
    [
      'dosageInstruction as one object',
      mutate((d) => {
        d.dosageInstruction = { text: 'three times a day' };
      }),
    ],
    [
      'dosageInstruction text a number',
      mutate((d) => {
        d.dosageInstruction = [{ text: 3 }];
      }),
    ],
    [
      'subject a string',
      mutate((d) => {
        d.subject = `Patient/${PATIENT}`;
      }),
    ],
    [
      'status a number',
      mutate((d) => {
        d.status = 1;
      }),
    ],
    [
      'category a string',
      mutate((d) => {
        d.category = 'outpatient';
      }),
    ],
    [
      'coding as one object',
      mutate((d) => {
        d.medicationCodeableConcept = { coding: { system: RXNORM, code: IBUPROFEN_400 } };
      }),
    ],
    [
      'a junk coding beside the real one',
      mutate((d) => {
        d.medicationCodeableConcept = { coding: [5, { system: RXNORM, code: IBUPROFEN_400 }] };
      }),
    ],
    [
      'medication text a number',
      mutate((d) => {
        (d.medicationCodeableConcept as Record<string, unknown>).text = 7;
      }),
    ],
    [
      'null members (a JavaScript client)',
      mutate((d) => {
        d.note = null;
        d.dosageInstruction = null;
        d.medicationReference = null;
      }),
    ],
    [
      'an id that is not a FHIR id',
      mutate((d) => {
        d.id = 'request 123/x';
      }),
    ],
    [
      'medicationReference to a contained Medication',
      mutate((d) => {
        delete d.medicationCodeableConcept;
        d.medicationReference = { reference: '#med' };
        d.contained = [
          { resourceType: 'Medication', id: 'med', code: { coding: [{ system: RXNORM, code: IBUPROFEN_400 }] } },
        ];
      }),
    ],
    [
      'R5 medication (CodeableReference)',
      mutate((d) => {
        d.medication = { concept: d.medicationCodeableConcept };
        delete d.medicationCodeableConcept;
      }),
    ],
  ])('%s: still screened (interaction card)', async (_label, draft) => {
    const cards = await cardsFor(sandboxRequest('order-sign', [draft]));
    expect(topics(cards)).toContain('ddi:anticoagulant-nsaid');
    expect(unchecked(cards)).toEqual([]);
  });

  it('a medicationReference to a Medication included in draftOrders', async () => {
    const draft = mutate((d) => {
      delete d.medicationCodeableConcept;
      d.medicationReference = { reference: 'Medication/m1' };
    });
    const med = { resourceType: 'Medication', id: 'm1', code: { coding: [{ system: RXNORM, code: IBUPROFEN_400 }] } };
    expect(topics(await cardsFor(sandboxRequest('order-sign', [draft, med])))).toContain('ddi:anticoagulant-nsaid');
  });

  it.each<[string, Record<string, unknown> | unknown, RegExp]>([
    [
      'code a number',
      mutate((d) => {
        d.medicationCodeableConcept = { coding: [{ system: RXNORM, code: 197806 }] };
      }),
      /medicationCodeableConcept\.coding\.0/,
    ],
    [
      'medicationCodeableConcept a string',
      mutate((d) => {
        d.medicationCodeableConcept = 'ibuprofen';
      }),
      /medicationCodeableConcept/,
    ],
    [
      'no medication at all',
      mutate((d) => {
        delete d.medicationCodeableConcept;
      }),
      /names no medication/,
    ],
    [
      'a reference to a Medication that is not in the request',
      mutate((d) => {
        delete d.medicationCodeableConcept;
        d.medicationReference = { reference: 'Medication/elsewhere', display: 'Advil' };
      }),
      /Medication\/elsewhere/,
    ],
    [
      'a contained Medication that is malformed',
      mutate((d) => {
        delete d.medicationCodeableConcept;
        d.medicationReference = { reference: '#med' };
        d.contained = [{ resourceType: 'Medication', id: 'med', code: 'ibuprofen' }];
      }),
      /contained\.0/,
    ],
    ['an entry without a resource', 'not a resource', /no FHIR resource/],
  ])('%s: a visible "Not checked" warning naming the problem', async (_label, draft, why) => {
    const cards = await cardsFor(sandboxRequest('order-sign', [draft]));
    expect(unchecked(cards)).toHaveLength(1);
    expect(unchecked(cards)[0]!.indicator).toBe('warning');
    expect(unchecked(cards)[0]!.summary).toMatch(/^Not checked: /);
    expect(unchecked(cards)[0]!.detail).toMatch(why);
  });

  it('a bad order next to a good one: the good one is still screened and the bad one reported', async () => {
    const bad = { ...sandboxDraft(), id: 'bad', medicationCodeableConcept: { coding: [{ code: false }] } };
    const cards = await cardsFor(sandboxRequest('order-sign', [sandboxDraft(), bad]));
    expect(topics(cards)).toContain('ddi:anticoagulant-nsaid');
    expect(unchecked(cards).map((c) => c.detail)).toEqual([expect.stringContaining('MedicationRequest/bad')]);
  });

  it('order-select reports an unidentifiable order only when it is selected', async () => {
    const bad = { ...sandboxDraft(), id: 'bad', medicationCodeableConcept: { text: 'something' } };
    const other = await cardsFor(
      sandboxRequest('order-select', [sandboxDraft(), bad], { selections: ['MedicationRequest/request-123'] }),
    );
    expect(unchecked(other)).toEqual([]);
    const selected = await cardsFor(
      sandboxRequest('order-select', [sandboxDraft(), bad], { selections: ['MedicationRequest/bad'] }),
    );
    expect(unchecked(selected)).toHaveLength(1);
  });

  it('order-select: a selection that matches no order (e.g. its id was malformed and dropped) is reported; one of another kind is not', async () => {
    const nutrition = { resourceType: 'NutritionOrder', id: 'n1', status: 'draft', intent: 'order' };
    const badId = { ...sandboxDraft(), id: 'request 123' };
    const cards = await cardsFor(
      sandboxRequest('order-select', [badId, nutrition], {
        selections: ['MedicationRequest/request 123', 'NutritionOrder/n1'],
      }),
    );
    expect(unchecked(cards).map((c) => c.detail)).toEqual([expect.stringContaining('names no order')]);
    expect(unchecked(cards)[0]!.summary).toContain('MedicationRequest/request 123');
  });

  it('a DSTU2 MedicationOrder is screened, and its card actions name the MedicationOrder', async () => {
    const { subject, category: _c, ...rest } = sandboxDraft();
    const order = { ...rest, resourceType: 'MedicationOrder', patient: subject };
    const cards = await cardsFor(
      sandboxRequest('order-select', [order], { selections: ['MedicationOrder/request-123'] }),
    );
    const ddi = cards.find((c) => c.source.topic?.code === 'ddi:anticoagulant-nsaid')!;
    const deletes = ddi.suggestions!.flatMap((s) => s.actions ?? []).filter((a) => a.type === 'delete');
    expect(deletes.length).toBeGreaterThan(0);
    expect(deletes.every((a) => a.resourceId === 'MedicationOrder/request-123')).toBe(true);
  });

  it('a ServiceRequest with a malformed category is reported as not checked for duplicates', async () => {
    const sr = {
      resourceType: 'ServiceRequest',
      id: 'sr',
      status: 'draft',
      intent: 'order',
      category: ['lab'],
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }], text: 'Glucose' },
    };
    const cards = await cardsFor(sandboxRequest('order-sign', [sr]));
    expect(unchecked(cards)).toHaveLength(1);
    expect(unchecked(cards)[0]!.summary).toContain('Glucose');
    expect(unchecked(cards)[0]!.detail).toContain('duplicate orders');
  });
});

describe('what stays strict', () => {
  it.each<[string, (b: Record<string, unknown>) => void, string]>([
    [
      'draftOrders not a Bundle',
      (b) => {
        (b.context as Record<string, unknown>).draftOrders = { resourceType: 'List' };
      },
      'body.context.draftOrders.resourceType',
    ],
    [
      'no patientId',
      (b) => {
        delete (b.context as Record<string, unknown>).patientId;
      },
      'body.context.patientId',
    ],
    [
      'hookInstance not a uuid',
      (b) => {
        b.hookInstance = 'abc';
      },
      'body.hookInstance',
    ],
  ])('%s → 400', async (_label, change, field) => {
    const body = sandboxRequest('order-sign', [sandboxDraft()]);
    change(body);
    await expect(cardsFor(body)).rejects.toMatchObject({
      status: 400,
      details: expect.arrayContaining([expect.objectContaining({ field })]),
    });
  });
});
