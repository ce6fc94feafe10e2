import { checkMedicationSafety } from '../drug-safety';
import { kb, rx, snomedAllergy } from '../drug-safety/test-helpers.test-util';
import { findingCard, indicatorOf, ruleIdOf } from './drug-cards';

const draft = (id: string, code: string): fhir4.MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'draft',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code }] },
  dosageInstruction: [{ text: '40 mg nightly' }],
});

describe('indicatorOf', () => {
  it.each([
    ['contraindicated', true, 'critical'],
    ['major', true, 'critical'],
    ['major', false, 'warning'],
    ['moderate', true, 'warning'],
    ['minor', true, 'info'],
    ['info', true, 'info'],
  ] as const)('%s (interruptive %s) → %s', (sev, intr, ind) => expect(indicatorOf(sev, intr)).toBe(ind));
});

describe('findingCard', () => {
  it('a proposed simvastatin against active clarithromycin: critical, remove or replace by pravastatin', () => {
    const [f] = checkMedicationSafety(kb(), {
      proposed: [{ ...rx('198211'), id: 'MedicationRequest/d1' }],
      active: [rx('197517', 'MedicationRequest/a1')],
    }).filter((x) => x.kind === 'drug-drug');
    const card = findingCard(f!, new Map([['MedicationRequest/d1', draft('d1', '198211')]]));
    expect(card).toMatchObject({
      ruleId: 'ddi:onc-11-statin-strong-cyp3a4',
      indicator: 'critical',
      summary: 'Contraindicated interaction: simvastatin + clarithromycin',
    });
    const [replace, remove] = card.suggestions!;
    expect(replace!.label).toBe('Replace simvastatin 40 MG Oral Tablet with pravastatin sodium 40 MG Oral Tablet');
    expect(replace!.actions![0]).toEqual({
      type: 'delete',
      description: expect.any(String),
      resourceId: 'MedicationRequest/d1',
    });
    const created = replace!.actions![1]!.resource as fhir4.MedicationRequest;
    expect(created).toMatchObject({
      resourceType: 'MedicationRequest',
      status: 'draft',
      subject: { reference: 'Patient/p1' },
      medicationCodeableConcept: { coding: [{ code: '904475' }] },
    });
    expect(created).not.toHaveProperty('id');
    expect(created).not.toHaveProperty('dosageInstruction');
    expect(remove!.actions).toEqual([
      { type: 'delete', description: expect.any(String), resourceId: 'MedicationRequest/d1' },
    ]);
    expect(card.detail).toContain('**Management:**');
    expect(card.overrideReasons!.length).toBeGreaterThan(0);
  });

  it('a drug-condition finding (NSAID in heart failure) is a critical card naming the chart fact, removable if drafted', () => {
    const [f] = checkMedicationSafety(kb(), {
      proposed: [rx('197805', 'MedicationRequest/d3')],
      patient: { conditions: ['heart-failure'] },
    }).filter((x) => x.kind === 'drug-condition');
    expect(ruleIdOf(f!)).toBe('drug-condition:condition-nsaid-heart-failure');
    const card = findingCard(f!, new Map([['MedicationRequest/d3', draft('d3', '197805')]]));
    expect(card).toMatchObject({
      indicator: 'critical',
      summary: 'Major: ibuprofen with heart failure on the problem list',
    });
    expect(card.detail).toContain('**Patient:** heart failure on the problem list');
    expect(card.suggestions!.flatMap((s) => s.actions!.map((a) => a.resourceId))).toEqual(['MedicationRequest/d3']);
    expect(card.overrideReasons!.length).toBeGreaterThan(0);
  });

  it('active drugs are never offered for deletion', () => {
    const [f] = checkMedicationSafety(kb(), {
      proposed: [rx('197517', 'MedicationRequest/d2')],
      active: [rx('198211', 'MedicationRequest/a1')],
    }).filter((x) => x.kind === 'drug-drug');
    const card = findingCard(f!, new Map([['MedicationRequest/d2', draft('d2', '197517')]]));
    expect(card.suggestions!.flatMap((s) => s.actions!.map((a) => a.resourceId))).toEqual(['MedicationRequest/d2']);
  });

  it('drug-allergy cards are critical for a high-criticality allergy and offer allergy override reasons', () => {
    const [f] = checkMedicationSafety(kb(), {
      proposed: [rx('308192', 'MedicationRequest/d3')],
      allergies: [
        snomedAllergy('91936005', 'Allergy to penicillin', { criticality: 'high', verificationStatus: 'confirmed' }),
      ],
    });
    const card = findingCard(f!, new Map());
    expect(ruleIdOf(f!)).toBe('drug-allergy:penicillins:class');
    expect(card).toMatchObject({
      indicator: 'critical',
      overrideReasons: expect.arrayContaining([expect.objectContaining({ code: 'allergy-not-confirmed' })]),
    });
    expect(card.summary.length).toBeLessThan(140);
  });

  it('unknown codes give a visible warning card, never silence', () => {
    const [f] = checkMedicationSafety(kb(), {
      proposed: [
        {
          code: '999999999',
          system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
          display: 'Mystery',
          id: 'MedicationRequest/d4',
        },
      ],
    });
    expect(findingCard(f!, new Map())).toMatchObject({
      ruleId: 'unable-to-screen:medication:unknown-code',
      indicator: 'warning',
      summary: 'Not screened: Mystery could not be checked',
    });
  });
});
