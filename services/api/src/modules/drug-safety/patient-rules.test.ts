import { checkMedicationSafety } from './check';
import { conditionFlagsOf, conditionFlagsOfCodings } from './condition-codes';
import { kb, ofKind, rx } from './test-helpers.test-util';
import type { PatientContext } from './types';

const SNOMED = 'http://snomed.info/sct';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10-cm';
const IBUPROFEN = '197805';
const METFORMIN = '861007';
const SPIRONOLACTONE = '313096';
const LISINOPRIL = '314076';
const WARFARIN = '855332';
const PROPRANOLOL = '856519';
const PIOGLITAZONE = '312440';
const POTASSIUM_CL = '198116';
const TIMOLOL_EYE = '198284';

/** Drug-condition findings for `drug` in a patient with the condition coded as `coding`. */
const conditionsOf = (coding: { system: string; code: string }) => (drug: string) =>
  ofKind(
    checkMedicationSafety(kb(), { proposed: [rx(drug)], patient: { conditions: conditionFlagsOfCodings([coding]) } }),
    'drug-condition',
  );
const findings = (drug: string, patient: PatientContext, active: string[] = []) =>
  ofKind(
    checkMedicationSafety(kb(), {
      proposed: [rx(drug, 'new')],
      active: active.map((a, i) => rx(a, `mr-${i}`)),
      patient,
    }),
    'drug-condition',
  );
const rules = (drug: string, patient: PatientContext) => findings(drug, patient).map((f) => [f.ruleId, f.severity]);

describe('renal function', () => {
  it('grades NSAIDs by eGFR, reporting only the most severe renal rule', () => {
    expect(rules(IBUPROFEN, { egfr: 75 })).toEqual([]);
    expect(rules(IBUPROFEN, { egfr: 45 })).toEqual([['renal-nsaid-egfr-60', 'moderate']]);
    expect(rules(IBUPROFEN, { egfr: 24 })).toEqual([['renal-nsaid-egfr-30', 'major']]);
  });

  it('metformin: contraindicated below 30, caution 30-45, nothing above', () => {
    expect(rules(METFORMIN, { egfr: 25 })).toEqual([['renal-metformin-egfr-30', 'contraindicated']]);
    expect(rules(METFORMIN, { egfr: 40 })).toEqual([['renal-metformin-egfr-45', 'moderate']]);
    expect(rules(METFORMIN, { egfr: 60 })).toEqual([]);
  });

  it('potassium-sparing diuretics are avoided below 30 and say which value triggered it', () => {
    const [f] = findings(SPIRONOLACTONE, { egfr: 22 });
    expect(f).toMatchObject({
      ruleId: 'renal-kspare-egfr-30',
      severity: 'major',
      reason: 'renal-function',
      evidence: expect.stringContaining('eGFR 22'),
      drug: { ref: 'new' },
    });
  });

  it('without renal data nothing fires', () => {
    expect(rules(IBUPROFEN, {})).toEqual([]);
    expect(ofKind(checkMedicationSafety(kb(), { proposed: [rx(IBUPROFEN)] }), 'drug-condition')).toEqual([]);
  });
});

describe('potassium', () => {
  it.each([
    [SPIRONOLACTONE, 5.3, 'potassium-kspare-5', 'contraindicated'],
    [POTASSIUM_CL, 5.3, 'potassium-kspare-5', 'contraindicated'],
    [LISINOPRIL, 5.3, 'potassium-raising-5', 'moderate'],
    [LISINOPRIL, 6.8, 'potassium-raising-5.5', 'major'],
    [IBUPROFEN, 6.8, 'potassium-raising-5.5', 'major'],
  ])('%s with K+ %s -> %s', (drug, potassium, ruleId, severity) => {
    expect(rules(drug, { potassium })).toEqual([[ruleId, severity]]);
  });

  it('normal potassium raises nothing', () => {
    expect(rules(LISINOPRIL, { potassium: 4.6 })).toEqual([]);
    expect(rules(SPIRONOLACTONE, { potassium: 5.0 })).toEqual([]);
  });

  it('escalates the potassium-sparing + ACE inhibitor interaction when potassium is high', () => {
    const ddi = (potassium?: number) =>
      ofKind(
        checkMedicationSafety(kb(), {
          proposed: [rx(SPIRONOLACTONE)],
          active: [rx(LISINOPRIL)],
          ...(potassium ? { patient: { potassium } } : {}),
        }),
        'drug-drug',
      ).find((f) => f.ruleId === 'kspare-raas');
    expect(ddi()?.severity).toBe('moderate');
    expect(ddi(5.8)).toMatchObject({ severity: 'major', notes: [expect.stringMatching(/potassium/i)] });
  });
});

describe('problem-list conditions', () => {
  it('NSAID in heart failure and in CKD (stage 3 or worse)', () => {
    expect(conditionsOf({ system: SNOMED, code: '84114007' })(IBUPROFEN).map((f) => [f.ruleId, f.severity])).toEqual([
      ['condition-nsaid-heart-failure', 'major'],
    ]);
    expect(conditionsOf({ system: SNOMED, code: '433144002' })(IBUPROFEN).map((f) => f.ruleId)).toEqual([
      'condition-nsaid-ckd',
    ]);
    expect(conditionsOf({ system: SNOMED, code: '431855005' })(IBUPROFEN)).toEqual([]); // CKD stage 1 is not a reason to avoid an NSAID
  });

  it('non-selective beta-blocker in asthma, including eye drops; not for a cardioselective one', () => {
    expect(conditionsOf({ system: SNOMED, code: '195967001' })(PROPRANOLOL).map((f) => [f.ruleId, f.severity])).toEqual(
      [['condition-nonselective-bb-asthma', 'contraindicated']],
    );
    expect(conditionsOf({ system: SNOMED, code: '195967001' })(TIMOLOL_EYE).map((f) => f.ruleId)).toEqual([
      'condition-nonselective-bb-asthma',
    ]);
    expect(conditionsOf({ system: SNOMED, code: '195967001' })(IBUPROFEN)).toEqual([]);
  });

  it('thiazolidinedione in heart failure', () => {
    expect(conditionsOf({ system: SNOMED, code: '42343007' })(PIOGLITAZONE).map((f) => f.ruleId)).toEqual([
      'condition-tzd-heart-failure',
    ]);
  });

  it('blocks the order like any major finding, and names the evidence in the message', () => {
    const all = checkMedicationSafety(kb(), { proposed: [rx(IBUPROFEN)], patient: { conditions: ['heart-failure'] } });
    expect(all[0]).toMatchObject({
      kind: 'drug-condition',
      severity: 'major',
      message: expect.stringContaining('heart failure'),
    });
  });
});

describe('the clinician scenario: ibuprofen for a CKD patient with K+ 6.8 on lisinopril + spironolactone + warfarin', () => {
  it('raises renal/NSAID, hyperkalaemia and drug-disease findings besides the warfarin interaction', () => {
    const patient: PatientContext = { egfr: 24, potassium: 6.8, conditions: ['ckd'] };
    const all = checkMedicationSafety(kb(), {
      proposed: [rx(IBUPROFEN, 'new')],
      active: [rx(LISINOPRIL, 'a'), rx(SPIRONOLACTONE, 'b'), rx(WARFARIN, 'c')],
      patient,
    });
    const ids = all.map((f) => (f.kind === 'drug-condition' || f.kind === 'drug-drug' ? f.ruleId : f.kind));
    expect(ids).toEqual(
      expect.arrayContaining([
        'renal-nsaid-egfr-30',
        'potassium-raising-5.5',
        'condition-nsaid-ckd',
        'anticoagulant-nsaid',
        'fam-hyperk-nsaid-kspare',
      ]),
    );
  });
});

describe('conditionFlagsOf', () => {
  const cond = (coding: { system: string; code: string }, extra: Partial<fhir4.Condition> = {}): fhir4.Condition => ({
    resourceType: 'Condition',
    subject: { reference: 'Patient/1' },
    code: { coding: [coding] },
    ...extra,
  });
  const status = (code: string) => ({
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code }],
  });

  it('recognises SNOMED codes and ICD-10 families', () => {
    expect(
      conditionFlagsOf([
        cond({ system: ICD10, code: 'N18.4' }),
        cond({ system: ICD10, code: 'I50.22' }),
        cond({ system: ICD10, code: 'J45.909' }),
      ]),
    ).toEqual(['asthma', 'ckd', 'heart-failure']);
    expect(conditionFlagsOf([cond({ system: ICD10, code: 'N18.2' }), cond({ system: ICD10, code: 'E11.9' })])).toEqual(
      [],
    );
    expect(conditionFlagsOf([cond({ system: SNOMED, code: '46177005' })])).toEqual(['ckd']);
  });

  it('ignores resolved, inactive, refuted and abated conditions', () => {
    expect(
      conditionFlagsOf([
        cond({ system: ICD10, code: 'J45.909' }, { clinicalStatus: status('resolved') }),
        cond({ system: ICD10, code: 'I50.9' }, { verificationStatus: { coding: [{ code: 'refuted' }] } }),
        cond({ system: ICD10, code: 'N18.4' }, { abatementDateTime: '2020-01-01' }),
      ]),
    ).toEqual([]);
    expect(
      conditionFlagsOf([cond({ system: ICD10, code: 'I50.9' }, { clinicalStatus: status('recurrence') })]),
    ).toEqual(['heart-failure']);
  });
});
