import { duplicateOrderCard, duplicateOrders } from './duplicate-orders';

const NOW = new Date('2026-11-23T12:00:00Z');
const LAB = { coding: [{ system: 'http://snomed.info/sct', code: '108252007' }] };
const IMG = { coding: [{ system: 'http://snomed.info/sct', code: '363679005' }] };
const sr = (
  id: string,
  code: string,
  status: fhir4.ServiceRequest['status'],
  authoredOn: string | undefined,
  category = LAB,
): fhir4.ServiceRequest => ({
  resourceType: 'ServiceRequest',
  id,
  status,
  intent: 'order',
  subject: { reference: 'Patient/1' },
  category: [category],
  code: { coding: [{ system: 'http://loinc.org', code }], text: `Test ${code}` },
  ...(authoredOn ? { authoredOn } : {}),
});

describe('duplicateOrders', () => {
  it.each([
    ['same lab 3 h ago', [sr('e', '2345-7', 'active', '2026-11-23T09:00:00Z')], true],
    [
      'same lab 30 h ago (outside the 24 h lab window)',
      [sr('e', '2345-7', 'completed', '2026-11-22T06:00:00Z')],
      false,
    ],
    ['different code', [sr('e', '718-7', 'active', '2026-11-23T09:00:00Z')], false],
    ['revoked earlier order', [sr('e', '2345-7', 'revoked', '2026-11-23T09:00:00Z')], false],
    ['no date', [sr('e', '2345-7', 'active', undefined)], false],
  ] as const)('%s → duplicate: %s', (_n, existing, yes) => {
    expect(duplicateOrders([sr('d', '2345-7', 'draft', undefined)], existing, NOW).length > 0).toBe(yes);
  });

  it('imaging has a 7-day window', () => {
    const draft = sr('d', '36643-5', 'draft', undefined, IMG);
    expect(duplicateOrders([draft], [sr('e', '36643-5', 'completed', '2026-11-18T12:00:00Z', IMG)], NOW)).toHaveLength(
      1,
    );
    expect(duplicateOrders([draft], [sr('e', '36643-5', 'completed', '2026-11-10T12:00:00Z', IMG)], NOW)).toHaveLength(
      0,
    );
  });

  it('two identical drafts in one bundle', () => {
    const dups = duplicateOrders(
      [sr('d1', '2345-7', 'draft', undefined), sr('d2', '2345-7', 'draft', undefined)],
      [],
      NOW,
    );
    expect(dups.map((d) => d.draft.id)).toEqual(['d2']);
    expect(duplicateOrderCard(dups[0]!).summary).toBe('Duplicate order: Test 2345-7 is ordered twice');
  });

  it('the card offers to delete the new draft', () => {
    const [dup] = duplicateOrders(
      [sr('d', '2345-7', 'draft', undefined)],
      [sr('e', '2345-7', 'active', '2026-11-23T09:00:00Z')],
      NOW,
    );
    const card = duplicateOrderCard(dup!);
    expect(card).toMatchObject({
      ruleId: 'duplicate-order:laboratory',
      indicator: 'warning',
      summary: 'Duplicate order: Test 2345-7 was already ordered 3 h ago',
    });
    expect(card.suggestions![0]!.actions).toEqual([
      { type: 'delete', description: expect.any(String), resourceId: 'ServiceRequest/d' },
    ]);
  });
});
