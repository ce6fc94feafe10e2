import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applySuggestion,
  cardMatchesFinding,
  carryOverrides,
  feedbackByService,
  overrideForFindings,
  shownCards,
  sortCards,
  unresolvedCritical,
  type SafetyFinding,
} from './card-logic';
import type { CdsCard } from './cds-types';

const REASONS = [
  {
    system: 'http://wintehr.dev/fhir/CodeSystem/cds-override-reason',
    code: 'benefit-outweighs-risk',
    display: 'Benefit outweighs risk',
  },
];
const card = (o: Partial<CdsCard> & { rule?: string }): CdsCard => ({
  uuid: o.uuid ?? 'u-1',
  summary: o.summary ?? 'Major interaction: warfarin + ibuprofen',
  indicator: o.indicator ?? 'critical',
  source: {
    label: 'WintEHR',
    topic: { system: 'http://wintehr.dev/cds/rule', code: o.rule ?? 'ddi:anticoagulant-nsaid' },
  },
  ...(o.overrideReasons === undefined ? { overrideReasons: REASONS } : { overrideReasons: o.overrideReasons }),
  ...(o.suggestions ? { suggestions: o.suggestions } : {}),
});
const draft = (id: string, code = '197806'): fhir4.MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'draft',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code }] },
});
const AT = '2026-11-23T10:00:00.000Z';

test('cards sort critical, warning, info, keeping the service order within a level', () => {
  const shown = shownCards('svc', 'order-sign', 'h1', [
    card({ uuid: 'a', indicator: 'info' }),
    card({ uuid: 'b', indicator: 'critical' }),
    card({ uuid: 'c', indicator: 'warning' }),
    card({ uuid: 'd', indicator: 'critical' }),
  ]);
  assert.deepEqual(
    sortCards(shown).map((c) => c.card.uuid),
    ['b', 'd', 'c', 'a'],
  );
  assert.equal(shownCards('svc', 'order-sign', 'h1', [{ ...card({}), uuid: undefined }])[0]!.key, 'svc/h1#0');
});

test('a critical card blocks until a suggestion is accepted or an offered override reason is chosen', () => {
  const [c] = shownCards('svc', 'order-sign', 'h', [card({})]);
  assert.equal(unresolvedCritical([c!], {}).length, 1);
  assert.equal(unresolvedCritical([c!], { [c!.key]: { outcome: 'overridden', at: AT } }).length, 1, 'no reason chosen');
  assert.equal(
    unresolvedCritical([c!], {
      [c!.key]: { outcome: 'overridden', reason: { system: 'urn:test', code: 'made-up' }, at: AT },
    }).length,
    1,
    'a reason the card did not offer',
  );
  assert.equal(unresolvedCritical([c!], { [c!.key]: { outcome: 'overridden', reason: REASONS[0], at: AT } }).length, 0);
  assert.equal(unresolvedCritical([c!], { [c!.key]: { outcome: 'accepted', suggestionUuid: 's', at: AT } }).length, 0);
  const [plain] = shownCards('svc', 'order-sign', 'h', [card({ uuid: 'p', overrideReasons: [] })]);
  assert.equal(
    unresolvedCritical([plain!], { [plain!.key]: { outcome: 'overridden', at: AT } }).length,
    0,
    'no reasons offered: acknowledging is enough',
  );
  const [warn] = shownCards('svc', 'order-sign', 'h', [card({ uuid: 'w', indicator: 'warning' })]);
  assert.equal(unresolvedCritical([warn!], {}).length, 0, 'warnings never block');
});

test('suggestions: remove deletes the draft, replace deletes it and drafts the alternative', () => {
  const drafts = [draft('d1'), draft('d2', '855332')];
  const removed = applySuggestion(
    drafts,
    { label: 'Remove ibuprofen', actions: [{ type: 'delete', description: 'x', resourceId: 'MedicationRequest/d1' }] },
    () => 'n1',
  );
  assert.deepEqual(
    removed.drafts.map((d) => d.id),
    ['d2'],
  );
  assert.deepEqual(removed.removed, ['MedicationRequest/d1']);
  const alt = { ...draft('ignored', '313782'), status: 'active' as const };
  const replaced = applySuggestion(
    drafts,
    {
      label: 'Replace',
      actions: [
        { type: 'delete', description: 'x', resourceId: 'MedicationRequest/d1' },
        { type: 'create', description: 'y', resource: alt },
      ],
    },
    () => 'n1',
  );
  assert.deepEqual(
    replaced.drafts.map((d) => [d.id, d.status, d.medicationCodeableConcept?.coding?.[0]?.code]),
    [
      ['d2', 'draft', '855332'],
      ['n1', 'draft', '313782'],
    ],
  );
  assert.equal(replaced.created[0]!.id, 'n1');
  const untouched = applySuggestion(
    drafts,
    {
      label: 'Other',
      actions: [
        { type: 'delete', description: 'x', resourceId: 'MedicationRequest/zzz' },
        {
          type: 'create',
          description: 'x',
          resource: {
            resourceType: 'ServiceRequest',
            status: 'draft',
            intent: 'order',
            subject: { reference: 'Patient/p1' },
          },
        },
      ],
    },
    () => 'n',
  );
  assert.deepEqual(
    untouched.drafts.map((d) => d.id),
    ['d1', 'd2'],
  );
  assert.deepEqual(untouched.removed, []);
});

test('an override at order-select carries over to the same alert at order-sign, not to a different one', () => {
  const select = shownCards('sel', 'order-select', 'h1', [card({ uuid: 's1' })]);
  const sign = shownCards('sig', 'order-sign', 'h2', [
    card({ uuid: 'g1' }),
    card({ uuid: 'g2', rule: 'drug-allergy:x:ingredient', summary: 'Allergy' }),
  ]);
  const decided = {
    [select[0]!.key]: { outcome: 'overridden' as const, reason: REASONS[0], comment: 'INR checked weekly', at: AT },
  };
  const next = carryOverrides(select, decided, sign, '2026-11-23T10:01:00.000Z');
  assert.deepEqual(next[sign[0]!.key], {
    outcome: 'overridden',
    reason: REASONS[0],
    comment: 'INR checked weekly',
    at: '2026-11-23T10:01:00.000Z',
  });
  assert.equal(next[sign[1]!.key], undefined);
  const accepted = carryOverrides(
    select,
    { [select[0]!.key]: { outcome: 'accepted', suggestionUuid: 'x', at: AT } },
    sign,
    AT,
  );
  assert.equal(accepted[sign[0]!.key], undefined);
});

test('feedback per service: accepted with the suggestion, overridden with the reason and comment', () => {
  const cards = [
    ...shownCards('sel', 'order-select', 'h1', [card({ uuid: 's1' })]),
    ...shownCards('sig', 'order-sign', 'h2', [card({ uuid: 'g1' }), card({ uuid: 'g2' })]),
  ];
  const fb = feedbackByService(cards, {
    [cards[0]!.key]: { outcome: 'accepted', suggestionUuid: 'sg-1', at: AT },
    [cards[1]!.key]: { outcome: 'overridden', reason: REASONS[0], comment: 'monitoring', at: AT },
  });
  assert.deepEqual(fb.get('sel'), [
    { card: 's1', outcome: 'accepted', acceptedSuggestions: [{ id: 'sg-1' }], outcomeTimestamp: AT },
  ]);
  assert.deepEqual(fb.get('sig'), [
    {
      card: 'g1',
      outcome: 'overridden',
      outcomeTimestamp: AT,
      overrideReason: { reason: REASONS[0], userComment: 'monitoring' },
    },
  ]);
});

test('the 409 findings map to overridden cards by rule; uncovered findings need a typed reason', () => {
  const findings: SafetyFinding[] = [
    {
      id: 'f-ddi',
      kind: 'drug-drug',
      severity: 'major',
      message: 'm',
      ruleId: 'anticoagulant-nsaid',
      management: 'avoid',
      affectedMedications: [],
    },
    {
      id: 'f-allergy',
      kind: 'drug-allergy',
      severity: 'major',
      message: 'm',
      allergy: { display: 'Penicillins' },
      matchType: 'class',
    },
  ];
  const cards = shownCards('sig', 'order-sign', 'h', [card({ uuid: 'g1' })]);
  assert.ok(cardMatchesFinding(cards[0]!.card, findings[0]!));
  assert.ok(!cardMatchesFinding(cards[0]!.card, findings[1]!));
  const decisions = {
    [cards[0]!.key]: { outcome: 'overridden' as const, reason: REASONS[0], comment: 'INR weekly', at: AT },
  };
  assert.deepEqual(overrideForFindings(findings, ['f-ddi'], cards, decisions), {
    override: { findingIds: ['f-ddi'], reason: 'Benefit outweighs risk: INR weekly' },
    uncovered: [],
  });
  const partial = overrideForFindings(findings, ['f-ddi', 'f-allergy'], cards, decisions);
  assert.equal(partial.override, undefined);
  assert.deepEqual(
    partial.uncovered.map((f) => f.id),
    ['f-allergy'],
  );
  const manual = overrideForFindings(
    findings,
    ['f-ddi', 'f-allergy'],
    cards,
    decisions,
    'Allergy was a rash in 1990, tolerated since',
  );
  assert.deepEqual(manual.override?.findingIds, ['f-ddi', 'f-allergy']);
  assert.match(manual.override!.reason, /Benefit outweighs risk: INR weekly; Allergy was a rash/);
  assert.equal(
    overrideForFindings(findings, ['f-allergy'], cards, decisions, 'no').uncovered.length,
    1,
    'a typed reason needs 5 characters',
  );
});

test('a drug-condition finding (e.g. NSAID with potassium 6.9) maps to the card of the same patient rule', () => {
  const finding: SafetyFinding = {
    id: 'drug-condition:potassium-raising-5.5:197806@proposed',
    kind: 'drug-condition',
    severity: 'major',
    message: 'm',
    ruleId: 'potassium-raising-5.5',
    reason: 'potassium',
  };
  const kCard = shownCards('sig', 'order-sign', 'h', [
    card({ uuid: 'k1', rule: 'drug-condition:potassium-raising-5.5' }),
  ]);
  const other = shownCards('sig', 'order-sign', 'h', [
    card({ uuid: 'k2', rule: 'drug-condition:renal-nsaid-egfr-30' }),
  ]);
  assert.ok(cardMatchesFinding(kCard[0]!.card, finding));
  assert.ok(!cardMatchesFinding(other[0]!.card, finding));
  const decisions = { [kCard[0]!.key]: { outcome: 'overridden' as const, reason: REASONS[0], at: AT } };
  assert.deepEqual(overrideForFindings([finding], [finding.id], kCard, decisions).override?.findingIds, [finding.id]);
});
