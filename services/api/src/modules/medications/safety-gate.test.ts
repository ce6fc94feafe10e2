import { PrescribeWarning } from '@wintehr/contracts';
import type { Finding } from '../drug-safety';
import { blockingFindings } from '../drug-safety';
import { decideSafetyGate, overriddenRuleIds, warningView } from './safety-gate';

const drug = (role: 'proposed' | 'active', ref: string) => ({
  ref,
  role,
  system: 'rxnorm' as const,
  code: '1',
  display: `drug ${ref}`,
});
const ddi = (id: string, severity: Finding['severity'], ruleId = id): Finding => ({
  kind: 'drug-drug',
  id,
  severity,
  message: 'm',
  ruleId,
  drugs: [drug('proposed', 'proposed'), drug('active', 'MedicationRequest/9')],
  ingredients: [
    { rxcui: '1', name: 'a' },
    { rxcui: '2', name: 'b' },
  ],
  mechanism: '',
  effect: '',
  management: 'avoid',
  source: 's',
  interruptive: true,
});
const controlled: Finding = {
  kind: 'controlled-substance',
  id: 'c',
  severity: 'info',
  message: 'C-II',
  drug: drug('proposed', 'proposed'),
  schedule: 'II',
  ingredients: [],
};

describe('safety gate', () => {
  it('lets moderate, minor and informational findings through as warnings', () => {
    const d = decideSafetyGate([ddi('x', 'moderate'), controlled]);
    expect(d).toMatchObject({ outcome: 'allow', overridden: [] });
    expect(d.warnings).toHaveLength(2);
  });

  it('blocks contraindicated and major findings without an override', () => {
    const d = decideSafetyGate([ddi('a', 'contraindicated'), ddi('b', 'major'), ddi('c', 'moderate')]);
    expect(d.outcome).toBe('block');
    if (d.outcome === 'block') {
      expect(d.reason).toBe('OVERRIDE_REQUIRED');
      expect(d.blocking.map((f) => f.id)).toEqual(['a', 'b']);
    }
  });

  it('an override without ids covers every blocking finding; with ids it must name each of them', () => {
    const findings = [ddi('a', 'contraindicated', 'rule-a'), ddi('b', 'major', 'rule-b')];
    const all = decideSafetyGate(findings, { reason: 'benefit outweighs risk' });
    expect(all.outcome).toBe('allow');
    if (all.outcome === 'allow') expect(overriddenRuleIds(all.overridden)).toEqual(['rule-a', 'rule-b']);
    const partial = decideSafetyGate(findings, { reason: 'benefit outweighs risk', findingIds: ['a'] });
    expect(partial).toMatchObject({ outcome: 'block', reason: 'OVERRIDE_INCOMPLETE' });
    if (partial.outcome === 'block') expect(partial.blocking.map((f) => f.id)).toEqual(['b']);
  });

  it('never treats controlled-substance notices as blocking', () => {
    expect(blockingFindings([controlled])).toEqual([]);
  });

  it('shows the active medication a finding concerns', () => {
    expect(warningView(ddi('a', 'major'))).toMatchObject({
      id: 'a',
      severity: 'major',
      ruleId: 'a',
      affectedMedications: [{ id: 'MedicationRequest/9' }],
    });
  });

  it('every finding kind has a warning view that fits the wire contract, drug-condition included', () => {
    const allergy = { display: 'Penicillins', codes: [] };
    const kinds: Finding[] = [
      ddi('a', 'major'),
      controlled,
      {
        kind: 'drug-allergy',
        id: 'al',
        severity: 'contraindicated',
        message: 'm',
        drug: drug('proposed', 'proposed'),
        allergy,
        matchType: 'class',
        certainty: 'confirmed',
        ingredient: { rxcui: '1', name: 'a' },
      },
      {
        kind: 'duplicate-therapy',
        id: 'du',
        severity: 'moderate',
        message: 'm',
        drugs: [drug('proposed', 'proposed'), drug('active', 'MedicationRequest/9')],
        basis: 'therapeutic-class',
      },
      {
        kind: 'drug-condition',
        id: 'dc',
        severity: 'major',
        message: 'm',
        ruleId: 'r',
        drug: drug('proposed', 'proposed'),
        ingredient: { rxcui: '1', name: 'a' },
        reason: 'renal-function',
        evidence: 'eGFR 24',
        effect: 'e',
        management: 'mg',
        source: 's',
      },
      {
        kind: 'unable-to-screen',
        id: 'un',
        severity: 'moderate',
        message: 'm',
        subject: 'allergy',
        reason: 'unmapped-allergy',
        allergy,
      },
    ];
    const views = kinds.map((f) => PrescribeWarning.safeParse(warningView(f)));
    expect(views.map((v) => v.success && v.data.kind)).toEqual([
      'drug-drug',
      'controlled-substance',
      'drug-allergy',
      'duplicate-therapy',
      'drug-condition',
      'unable-to-screen',
    ]);
    expect(PrescribeWarning.safeParse({ ...warningView(kinds[4]!), reason: 'no-code' }).success).toBe(false);
  });
});
