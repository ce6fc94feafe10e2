import { LAB_CATALOG, IMAGING_CATALOG, catalogItem, searchCatalog } from './catalog';
import { findDuplicateOrders } from './duplicates';
import { ORDER_SETS, expandOrderSet, orderSet } from './order-sets';
import { buildServiceRequest, orderTypeOf, revoked } from './service-request';

const now = new Date('2026-03-01T12:00:00Z');
const sr = (
  code: string,
  authoredOn: string,
  status: fhir4.ServiceRequest['status'] = 'active',
  id = 'x',
): fhir4.ServiceRequest => ({
  resourceType: 'ServiceRequest',
  id,
  status,
  intent: 'order',
  subject: { reference: 'Patient/1' },
  authoredOn,
  code: { coding: [{ system: 'http://loinc.org', code }] },
});

describe('order catalog', () => {
  it('has about forty lab tests with unique LOINC codes, including the common panels', () => {
    expect(LAB_CATALOG.length).toBeGreaterThanOrEqual(40);
    expect(new Set(LAB_CATALOG.map((i) => i.code)).size).toBe(LAB_CATALOG.length);
    for (const code of ['58410-2', '51990-0', '24323-8', '57698-3', '4548-4', '3016-3', '6301-6'])
      expect(catalogItem('lab', code)).toBeDefined();
    for (const i of [...LAB_CATALOG, ...IMAGING_CATALOG]) expect(i.code).toMatch(/^\d{1,7}-\d$/);
  });
  it('searches by abbreviation and restricts by type', () => {
    expect(searchCatalog('lab', 'a1c').map((i) => i.code)).toEqual(['4548-4']);
    expect(searchCatalog('imaging', 'chest').map((i) => i.code)).toEqual(['36643-5', '24627-2']);
    expect(searchCatalog(undefined, 'no such test')).toEqual([]);
    expect(catalogItem('imaging', '4548-4')).toBeUndefined();
  });
});

describe('duplicate detection', () => {
  it('finds live orders for the same code inside the window only', () => {
    const existing = [
      sr('4548-4', '2026-03-01T02:00:00Z', 'active', 'recent'),
      sr('4548-4', '2026-02-27T12:00:00Z', 'active', 'old'),
      sr('4548-4', '2026-03-01T10:00:00Z', 'revoked', 'cancelled'),
      sr('3016-3', '2026-03-01T11:00:00Z', 'active', 'other-code'),
      sr('4548-4', '2026-03-01T11:00:00Z', 'completed', 'done'),
    ];
    expect(
      findDuplicateOrders(existing, { system: 'http://loinc.org', code: '4548-4', now, windowHours: 24 }).map(
        (x) => x.id,
      ),
    ).toEqual(['recent', 'done']);
    expect(
      findDuplicateOrders(existing, { system: 'http://loinc.org', code: '4548-4', now, windowHours: 72 }).map(
        (x) => x.id,
      ),
    ).toEqual(['recent', 'old', 'done']);
    expect(findDuplicateOrders(existing, { system: 'http://loinc.org', code: '4548-4', now, windowHours: 0 })).toEqual(
      [],
    );
  });
});

describe('order sets', () => {
  it('every set expands to catalog items', () => {
    for (const s of ORDER_SETS) expect(expandOrderSet(s).items.length).toBe(s.items.length);
  });
  it('applies excludes and a priority override, and reports excludes that are not in the set', () => {
    const set = orderSet('chest-pain-workup')!;
    expect(expandOrderSet(set).items.every((i) => i.priority === 'stat')).toBe(true);
    const r = expandOrderSet(set, { exclude: ['48065-7', '9999-9'], priority: 'urgent' });
    expect(r.items.map((i) => i.item.code)).toEqual(['89579-7', '58410-2', '51990-0', '36643-5']);
    expect(r.items.every((i) => i.priority === 'urgent')).toBe(true);
    expect(r.unknownExcludes).toEqual(['9999-9']);
  });
});

describe('ServiceRequest building', () => {
  it('codes category, LOINC, priority and requisition; cancel revokes with a status reason', () => {
    const item = catalogItem('imaging', '24627-2')!;
    const s = buildServiceRequest({
      patientId: 'p',
      requester: { reference: 'Practitioner/d' },
      item,
      priority: 'stat',
      orderId: 'o1',
      now,
      requisition: 'rq',
      contrast: true,
    });
    expect(s).toMatchObject({
      status: 'active',
      intent: 'order',
      priority: 'stat',
      requisition: { value: 'rq' },
      orderDetail: [{ text: 'With IV contrast' }],
    });
    expect(orderTypeOf(s)).toBe('imaging');
    const r = revoked(s, { reason: 'wrong test', by: { reference: 'Practitioner/d' }, now });
    expect(r.status).toBe('revoked');
    expect(r.extension?.[0]).toEqual({
      url: 'http://hl7.org/fhir/StructureDefinition/request-statusReason',
      valueCodeableConcept: { text: 'wrong test' },
    });
  });
});
