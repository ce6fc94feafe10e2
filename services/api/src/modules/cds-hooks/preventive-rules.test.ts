import {
  evidenceOf,
  overduePreventiveCare,
  preventiveCard,
  windowStart,
  type PreventiveFacts,
} from './preventive-rules';

const NOW = new Date('2026-11-23T12:00:00Z');
const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const CVX = 'http://hl7.org/fhir/sid/cvx';
const ev = (system: string, code: string, date: string) => ({ coding: { system, code }, date });
const due = (f: Partial<PreventiveFacts>) =>
  overduePreventiveCare({ conditions: [], evidence: [], ...f }, NOW).map((d) => d.rule.id);

describe('overduePreventiveCare', () => {
  it.each([
    ['44-year-old man: flu only', { ageYears: 44, sex: 'male' }, ['influenza-vaccine']],
    [
      '45-year-old man: colorectal starts',
      { ageYears: 45, sex: 'male' },
      ['colorectal-screening', 'influenza-vaccine'],
    ],
    [
      '60-year-old woman: colorectal + mammography',
      { ageYears: 60, sex: 'female' },
      ['colorectal-screening', 'breast-cancer-screening', 'influenza-vaccine'],
    ],
    [
      '75-year-old woman: mammography stops at 74',
      { ageYears: 75, sex: 'female' },
      ['colorectal-screening', 'influenza-vaccine'],
    ],
    ['76-year-old: colorectal stops at 75', { ageYears: 76, sex: 'male' }, ['influenza-vaccine']],
    ['unknown age: nothing age-based', { sex: 'female' }, []],
  ] as const)('%s', (_name, facts, ids) => expect(due(facts)).toEqual(ids));

  it('diabetes (SNOMED or ICD-10 E11.x) needs an A1c within 6 months', () => {
    const t2 = { system: SNOMED, code: '44054006' };
    expect(due({ ageYears: 30, conditions: [t2] })).toContain('diabetes-a1c');
    expect(
      due({ ageYears: 30, conditions: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] }),
    ).toContain('diabetes-a1c');
    expect(due({ ageYears: 30, conditions: [t2], evidence: [ev(LOINC, '4548-4', '2026-08-01')] })).not.toContain(
      'diabetes-a1c',
    );
    expect(due({ ageYears: 30, conditions: [t2], evidence: [ev(LOINC, '4548-4', '2026-04-01')] })).toContain(
      'diabetes-a1c',
    );
  });

  it('each kind of evidence has its own interval (colonoscopy 10 y, FIT 1 y)', () => {
    expect(due({ ageYears: 60, evidence: [ev(SNOMED, '73761001', '2019-01-01')] })).not.toContain(
      'colorectal-screening',
    );
    expect(due({ ageYears: 60, evidence: [ev(LOINC, '29771-3', '2024-01-01')] })).toContain('colorectal-screening');
    expect(due({ ageYears: 60, evidence: [ev(LOINC, '29771-3', '2026-02-01')] })).not.toContain('colorectal-screening');
  });

  it('a flu vaccine counts for the current season only (from 1 August)', () => {
    expect(windowStart('flu-season', NOW).toISOString()).toBe('2026-08-01T00:00:00.000Z');
    expect(windowStart('flu-season', new Date('2026-03-01T00:00:00Z')).toISOString()).toBe('2025-08-01T00:00:00.000Z');
    expect(due({ ageYears: 30, evidence: [ev(CVX, '150', '2026-09-15')] })).toEqual([]);
    expect(due({ ageYears: 30, evidence: [ev(CVX, '150', '2026-03-15')] })).toEqual(['influenza-vaccine']);
  });

  it('the card says when it was last done and links the guideline', () => {
    const [item] = overduePreventiveCare(
      { ageYears: 30, conditions: [], evidence: [ev(CVX, '150', '2025-10-01T09:00:00Z')] },
      NOW,
    );
    const card = preventiveCard(item!);
    expect(card).toMatchObject({
      ruleId: 'preventive:influenza-vaccine',
      indicator: 'info',
      summary: 'Due: Seasonal influenza vaccine (last 2025-10-01)',
    });
    expect(card.links![0]).toMatchObject({ type: 'absolute', url: expect.stringMatching(/^https:\/\//) });
  });
});

describe('evidenceOf', () => {
  it('takes completed/final resources with their dates and skips the rest', () => {
    const out = evidenceOf([
      {
        resourceType: 'Procedure',
        status: 'completed',
        subject: { reference: 'Patient/1' },
        code: { coding: [{ system: SNOMED, code: '73761001' }] },
        performedDateTime: '2020-01-01',
      },
      {
        resourceType: 'Procedure',
        status: 'not-done',
        subject: { reference: 'Patient/1' },
        code: { coding: [{ system: SNOMED, code: '73761001' }] },
        performedDateTime: '2026-01-01',
      },
      {
        resourceType: 'Immunization',
        status: 'completed',
        patient: { reference: 'Patient/1' },
        vaccineCode: { coding: [{ system: CVX, code: '150' }] },
        occurrenceDateTime: '2026-10-01',
      },
      {
        resourceType: 'Observation',
        status: 'cancelled',
        code: { coding: [{ system: LOINC, code: '4548-4' }] },
        effectiveDateTime: '2026-10-01',
      },
    ]);
    expect(out).toEqual([ev(SNOMED, '73761001', '2020-01-01'), ev(CVX, '150', '2026-10-01')]);
  });
});
