import { checkMedicationSafety } from './check';
import { atLeast } from './severity';
import { kb, ofKind, recallPairs, rx } from './test-helpers.test-util';
import type { DrugDrugFinding, PatientContext } from './types';

/** drug-drug findings for proposed `a` against active `b` */
function ddi(a: string, b: string, patient?: PatientContext): DrugDrugFinding[] {
  return ofKind(
    checkMedicationSafety(kb(), { proposed: [rx(a)], active: [rx(b)], ...(patient ? { patient } : {}) }),
    'drug-drug',
  );
}

describe('ONC high-priority drug-drug interactions (recall-pairs.json)', () => {
  const set = recallPairs();
  for (const c of set.oncClasses) {
    it.each(c.pairs)(`class ${c.class} (${c.name}): %s %s + %s %s`, (a, _an, b) => {
      for (const [p, q] of [
        [a, b],
        [b, a],
      ] as const) {
        const found = ddi(p, q);
        expect(
          found.some((f) => f.oncClass === c.class && atLeast(f.severity, c.expectedSeverity) && f.interruptive),
        ).toBe(true);
      }
    });
  }
});

describe('other critical interactions (recall-pairs.json otherCritical)', () => {
  for (const c of recallPairs().otherCritical) {
    it.each(c.pairs)(`${c.name}: %s %s + %s %s`, (a, _an, b) => {
      for (const [p, q] of [
        [a, b],
        [b, a],
      ] as const) {
        expect(ddi(p, q, c.patient).some((f) => atLeast(f.severity, c.expectedSeverity) && f.interruptive)).toBe(true);
      }
    });
  }
});

describe('non-interruptive pairs (Phansalkar 2013) inform without interrupting', () => {
  it.each(recallPairs().nonInterruptive)('%s %s + %s %s', (a, _an, b) => {
    const found = ddi(a, b);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found)
      expect([f.ruleId, atLeast(f.severity, 'major'), f.interruptive]).toEqual([f.ruleId, false, false]);
  });
});

describe('drug-drug rules with concrete clinical drugs', () => {
  it('simvastatin 40 MG + clarithromycin 500 MG is contraindicated and explains itself', () => {
    const [f, ...rest] = ddi('198211', '197517');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      kind: 'drug-drug',
      severity: 'contraindicated',
      ruleId: 'onc-11-statin-strong-cyp3a4',
      oncClass: 11,
      interruptive: true,
      ingredients: [
        { rxcui: '36567', name: 'simvastatin' },
        { rxcui: '21212', name: 'clarithromycin' },
      ],
    });
    expect(f!.drugs.map((d) => [d.code, d.role])).toEqual([
      ['198211', 'proposed'],
      ['197517', 'active'],
    ]);
    expect(f!.message).toMatch(/simvastatin 40 MG Oral Tablet.*clarithromycin 500 MG Oral Tablet.*rhabdomyolysis/);
    expect(f!.source).toMatch(/Phansalkar/);
    expect(f!.mechanism).toMatch(/CYP3A4/);
  });

  // simvastatin as IN, SCDC, SCD, SBD (Zocor), MIN (ezetimibe/simvastatin) x clarithromycin as IN, SCD, GPCK, BPCK
  const simvastatin = ['36567', '316674', '198211', '152923', '484211'];
  const clarithromycin = ['21212', '197517', '757968', '1291987'];
  it.each(simvastatin.flatMap((s) => clarithromycin.map((c) => [s, c])))(
    'term types give the same finding: %s + %s',
    (s, c) => {
      const found = ddi(s, c);
      expect(found.map((f) => [f.ruleId, f.severity])).toContainEqual([
        'onc-11-statin-strong-cyp3a4',
        'contraindicated',
      ]);
    },
  );

  it.each([
    ['methotrexate + trimethoprim', '283511', '198332', 'methotrexate-trimethoprim', 'major'],
    ['methotrexate + sulfamethoxazole/trimethoprim', '283511', '198335', 'methotrexate-trimethoprim', 'major'],
    ['spironolactone + lisinopril', '198223', '314076', 'kspare-raas', 'moderate'],
    ['eplerenone + losartan', '351256', '979492', 'kspare-raas', 'moderate'],
    ['potassium chloride + spironolactone', '198116', '198223', 'kspare-potassium', 'major'],
    ['potassium chloride + amiloride', '198116', '977880', 'kspare-potassium', 'major'],
    ['warfarin + ibuprofen', '855332', '197806', 'anticoagulant-nsaid', 'major'],
    ['warfarin + aspirin 81 MG', '855332', '243670', 'anticoagulant-antiplatelet', 'major'],
    ['warfarin + clopidogrel', '855332', '309362', 'anticoagulant-antiplatelet', 'major'],
    ['apixaban + naproxen', '1364445', '198014', 'anticoagulant-nsaid', 'major'],
    ['warfarin + fluconazole', '855332', '197698', 'warfarin-azole', 'major'],
    ['warfarin + clarithromycin', '855332', '197517', 'warfarin-macrolide', 'major'],
    ['warfarin + ciprofloxacin', '855332', '197511', 'warfarin-fluoroquinolone', 'major'],
    ['warfarin + sulfamethoxazole/trimethoprim', '855332', '198335', 'warfarin-smx', 'major'],
    ['warfarin + amiodarone', '855332', '833528', 'warfarin-amiodarone', 'major'],
    ['nitroglycerin SL + sildenafil', '198039', '312950', 'nitrate-pde5', 'contraindicated'],
    ['isosorbide mononitrate + tadalafil', '311192', '403957', 'nitrate-pde5', 'contraindicated'],
    ['isosorbide dinitrate + riociguat', '314055', '1439831', 'nitrate-pde5', 'contraindicated'],
    ['sildenafil + riociguat', '312950', '1439831', 'pde5-riociguat', 'contraindicated'],
    ['clopidogrel + omeprazole', '309362', '198051', 'clopidogrel-ppi', 'major'],
    ['clopidogrel + esomeprazole', '309362', '433733', 'clopidogrel-ppi', 'major'],
    ['lithium carbonate + ibuprofen', '197889', '197806', 'lithium-nsaid', 'major'],
    ['lithium carbonate + lisinopril', '197889', '314076', 'lithium-raas', 'major'],
    ['lithium carbonate + hydrochlorothiazide', '197889', '310798', 'lithium-thiazide', 'major'],
    ['digoxin + amiodarone', '197604', '833528', 'digoxin-amiodarone', 'major'],
    ['digoxin + verapamil', '197604', '897683', 'digoxin-verapamil', 'major'],
    ['digoxin + clarithromycin', '197604', '197517', 'digoxin-macrolide', 'major'],
    ['colchicine + clarithromycin', '197541', '197517', 'colchicine-cyp3a4-pgp', 'major'],
    ['colchicine + cyclosporine', '197541', '197553', 'colchicine-cyp3a4-pgp', 'major'],
    ['oxycodone + lorazepam', '1049621', '197901', 'opioid-benzodiazepine', 'major'],
    ['hydrocodone/acetaminophen + alprazolam', '857002', '308048', 'opioid-benzodiazepine', 'major'],
    ['sertraline + tramadol', '312941', '835603', 'ssri-tramadol', 'major'],
    ['sertraline + linezolid', '312941', '311347', 'linezolid-serotonergic', 'major'],
    ['theophylline + ciprofloxacin', '198255', '197511', 'theophylline-cyp1a2', 'major'],
    ['theophylline + fluvoxamine', '198255', '903891', 'theophylline-cyp1a2', 'major'],
    ['simvastatin + amiodarone', '198211', '833528', 'simvastatin-moderate-cyp3a4', 'major'],
    ['azathioprine + allopurinol', '197388', '197319', 'thiopurine-allopurinol', 'major'],
    ['sertraline + sumatriptan (informational)', '312941', '313161', 'ssri-triptan', 'moderate'],
    ['simvastatin + amlodipine (informational)', '198211', '197361', 'simvastatin-amlodipine', 'moderate'],
    ['levothyroxine + calcium carbonate (informational)', '892246', '198527', 'info-levothyroxine-cation', 'minor'],
    ['ciprofloxacin + ferrous sulfate (informational)', '197511', '310325', 'info-fluoroquinolone-cation', 'moderate'],
  ])('%s', (_label, a, b, ruleId, severity) => {
    for (const [p, q] of [
      [a, b],
      [b, a],
    ] as const)
      expect(ddi(p, q).map((f) => [f.ruleId, f.severity])).toContainEqual([ruleId, severity]);
  });

  it('informational rules are not interruptive', () => {
    const [f] = ddi('312941', '313161');
    expect(f).toMatchObject({ ruleId: 'ssri-triptan', interruptive: false });
  });

  it('QT + QT applies to any two distinct ingredients of the class, not to one ingredient twice', () => {
    const qt = ['833528', '200371', '310672', '198052', '311296', '308460', '864718', '1923426'];
    for (let i = 0; i < qt.length; i++)
      for (let j = i + 1; j < qt.length; j++) {
        expect(ddi(qt[i]!, qt[j]!).some((f) => f.ruleId === 'onc-08-qt-qt' && f.severity === 'major')).toBe(true);
      }
    expect(ddi('200371', '309314')).toEqual([]); // citalopram 20 MG + citalopram 40 MG: duplicate, not an interaction
  });

  it('does not apply systemic rules to locally acting products (eye drops)', () => {
    expect(ddi('309307', '313413')).toEqual([]); // ciprofloxacin ophthalmic + tizanidine
    expect(ddi('403818', '200371')).toEqual([]); // moxifloxacin ophthalmic + citalopram
    expect(ddi('197511', '313413').map((f) => f.ruleId)).toContain('onc-13-tizanidine-cyp1a2'); // oral ciprofloxacin does
  });

  it('a more specific rule supersedes the general one', () => {
    expect(ddi('577348', '903891').map((f) => [f.ruleId, f.severity])).toEqual([
      ['onc-09b-ramelteon-fluvoxamine', 'contraindicated'],
    ]);
    expect(ddi('577348', '197511').map((f) => f.ruleId)).toEqual(['onc-09-ramelteon-cyp1a2']);
  });

  it('patient context escalates severity (renal function) and adds notes (age)', () => {
    expect(ddi('198223', '314076', { egfr: 25 })[0]).toMatchObject({ ruleId: 'kspare-raas', severity: 'major' });
    expect(ddi('198223', '314076', { egfr: 70 })[0]).toMatchObject({ ruleId: 'kspare-raas', severity: 'moderate' });
    expect(ddi('197541', '197517', { egfr: 40 })[0]).toMatchObject({
      ruleId: 'colchicine-cyp3a4-pgp',
      severity: 'contraindicated',
    });
    const old = ddi('1049621', '197901', { ageYears: 80 })[0]!;
    expect(old.notes?.[0]).toMatch(/Older adults/);
    expect(old.message).toMatch(/Older adults/);
  });

  it('does not flag combination products against themselves or an ingredient against itself', () => {
    expect(ddi('1291987', '1291987')).toEqual([]);
  });
});

describe('label rules beyond the ONC list and NDF-RT (interactions.json)', () => {
  // [proposed IN, active IN, expected rule, expected grade]: pairs whose labels name the interaction but which the
  // 2014 NDF-RT extract does not carry; screened both ways round.
  const cases: [string, string, string, string, string, string][] = [
    ['5640', 'ibuprofen', '29046', 'lisinopril', 'nsaid-ace-inhibitor', 'moderate'],
    ['7258', 'naproxen', '52175', 'losartan', 'nsaid-arb', 'moderate'],
    ['2599', 'clonidine', '6918', 'metoprolol', 'clonidine-beta-blocker', 'moderate'],
    ['29561', 'meropenem', '40254', 'valproate', 'carbapenem-valproate', 'major'],
    ['325642', 'ertapenem', '40254', 'valproate', 'carbapenem-valproate', 'major'],
    ['11289', 'warfarin', '9384', 'rifampin', 'warfarin-rifamycin', 'major'],
    ['11289', 'warfarin', '8703', 'fenofibrate', 'warfarin-fenofibrate', 'moderate'],
    ['11289', 'warfarin', '10582', 'levothyroxine', 'warfarin-levothyroxine', 'moderate'],
    ['6851', 'methotrexate', '5640', 'ibuprofen', 'methotrexate-nsaid', 'major'],
    ['6851', 'methotrexate', '7646', 'omeprazole', 'methotrexate-ppi', 'moderate'],
    ['136411', 'sildenafil', '49276', 'doxazosin', 'pde5-alpha-blocker', 'moderate'],
    ['4821', 'glipizide', '4450', 'fluconazole', 'sulfonylurea-azole', 'moderate'],
    ['11170', 'verapamil', '6918', 'metoprolol', 'non-dhp-ccb-beta-blocker', 'moderate'],
    ['8640', 'prednisone', '5640', 'ibuprofen', 'corticosteroid-nsaid', 'moderate'],
    ['1596450', 'gentamicin', '4603', 'furosemide', 'aminoglycoside-loop-diuretic', 'major'],
    ['10627', 'tobramycin', '11124', 'vancomycin', 'aminoglycoside-vancomycin', 'major'],
    ['2556', 'citalopram', '7646', 'omeprazole', 'citalopram-cyp2c19-ppi', 'moderate'],
  ];
  it.each(cases)('%s %s + %s %s → %s (%s)', (a, _an, b, _bn, rule, grade) => {
    for (const [p, q] of [
      [a, b],
      [b, a],
    ] as const) {
      const found = ddi(p, q);
      expect(found.map((f) => [f.ruleId, f.severity])).toContainEqual([rule, grade]);
      expect(found.find((f) => f.ruleId === rule)!.management).toBeTruthy();
    }
  });

  it('aspirin is not an NSAID for the ACE-inhibitor rule (low-dose aspirin with lisinopril is routine)', () => {
    expect(ddi('1191', '29046').map((f) => f.ruleId)).not.toContain('nsaid-ace-inhibitor');
  });
});
