/**
 * Problem-list conditions the drug-condition rules need, recognised by SNOMED CT codes and ICD-10(-CM) code families.
 * Pure. Only clinically active, not refuted conditions count. CKD means stage 3 or worse (or unstaged / dialysis):
 * stages 1-2 are not a reason to avoid NSAIDs or metformin.
 */
import type { Coding, ConditionFlag } from './types';

const SNOMED = 'http://snomed.info/sct';
const ICD10 = ['http://hl7.org/fhir/sid/icd-10-cm', 'http://hl7.org/fhir/sid/icd-10'];

const SNOMED_CODES: Readonly<Record<ConditionFlag, readonly string[]>> = {
  // CKD (unstaged), stage 3 / 3a / 3b / 4 / 5, stage 5 on dialysis or with transplant, end-stage renal disease,
  // chronic renal failure / impairment
  ckd: [
    '709044004',
    '433144002',
    '700378005',
    '700379002',
    '431857002',
    '433146000',
    '714152005',
    '714153000',
    '46177005',
    '90688005',
    '236425005',
  ],
  'heart-failure': [
    '84114007',
    '42343007',
    '88805009',
    '85232009',
    '10633002',
    '703272007',
    '446221000',
    '417996009',
    '418304008',
    '367363000',
    '48447003',
    '56675007',
    '195111005',
    '92506005',
    '5148006',
  ],
  asthma: [
    '195967001',
    '233678006',
    '266361008',
    '389145006',
    '426979002',
    '427295004',
    '426656000',
    '57607007',
    '370218001',
    '370219009',
    '370221004',
    '304527002',
    '55570000',
    '281239006',
    '225057002',
    '233688007',
    '93432008',
    '409663006',
    '12428000',
    '31387002',
  ],
};

/** ICD-10 code prefixes per flag (dot-insensitive). */
const ICD10_PREFIXES: Readonly<Record<ConditionFlag, readonly string[]>> = {
  ckd: ['N183', 'N184', 'N185', 'N186', 'N189', 'N19', 'I120', 'I1311', 'I132', 'Z992', 'E1022', 'E1122', 'E1322'],
  'heart-failure': ['I50', 'I110', 'I130', 'I132', 'I0981'],
  asthma: ['J45', 'J46'],
};

const SNOMED_INDEX = new Map<string, ConditionFlag>();
for (const [flag, codes] of Object.entries(SNOMED_CODES) as [ConditionFlag, readonly string[]][])
  for (const c of codes) SNOMED_INDEX.set(c, flag);

export function conditionFlagsOfCodings(codings: readonly Coding[]): ConditionFlag[] {
  const out = new Set<ConditionFlag>();
  for (const c of codings) {
    if (!c.code) continue;
    if (c.system === SNOMED) {
      const f = SNOMED_INDEX.get(c.code);
      if (f) out.add(f);
      continue;
    }
    if (c.system && ICD10.includes(c.system)) {
      const code = c.code.replace('.', '').toUpperCase();
      for (const [flag, prefixes] of Object.entries(ICD10_PREFIXES) as [ConditionFlag, readonly string[]][])
        if (prefixes.some((p) => code.startsWith(p))) out.add(flag);
    }
  }
  return [...out];
}

const INACTIVE = new Set(['inactive', 'remission', 'resolved']);
const NOT_TRUE = new Set(['refuted', 'entered-in-error']);

/** Flags of the patient's current conditions (active, recurrence, relapse or unstated status; not refuted). Sorted. */
export function conditionFlagsOf(conditions: readonly fhir4.Condition[]): ConditionFlag[] {
  const out = new Set<ConditionFlag>();
  for (const c of conditions) {
    const clinical = c.clinicalStatus?.coding?.find((x) => x.code)?.code;
    const verification = c.verificationStatus?.coding?.find((x) => x.code)?.code;
    if (
      (clinical && INACTIVE.has(clinical)) ||
      (verification && NOT_TRUE.has(verification)) ||
      c.abatementDateTime ||
      c.abatementPeriod
    )
      continue;
    const codings = (c.code?.coding ?? []).map((x) => ({
      ...(x.system ? { system: x.system } : {}),
      ...(x.code ? { code: x.code } : {}),
    }));
    for (const f of conditionFlagsOfCodings(codings)) out.add(f);
  }
  return [...out].sort();
}
