import type { CodedConcept } from '@wintehr/contracts';

/** Frequent choices offered in the dialogs; any other valid code can still be typed in. */
export const COMMON_ALLERGENS: CodedConcept[] = [
  { system: 'rxnorm', code: '7980', display: 'Penicillin G' },
  { system: 'rxnorm', code: '733', display: 'Ampicillin' },
  { system: 'rxnorm', code: '10831', display: 'Sulfamethoxazole / trimethoprim' },
  { system: 'rxnorm', code: '2670', display: 'Codeine' },
  { system: 'rxnorm', code: '1191', display: 'Aspirin' },
  { system: 'rxnorm', code: '5640', display: 'Ibuprofen' },
  { system: 'snomed', code: '91935009', display: 'Peanut (allergy)' },
  { system: 'snomed', code: '300916003', display: 'Latex allergy' },
];

export const COMMON_REACTIONS: CodedConcept[] = [
  { system: 'snomed', code: '271807003', display: 'Skin rash' },
  { system: 'snomed', code: '247472004', display: 'Hives' },
  { system: 'snomed', code: '39579001', display: 'Anaphylaxis' },
  { system: 'snomed', code: '422587007', display: 'Nausea' },
  { system: 'snomed', code: '267036007', display: 'Dyspnea' },
];

export const COMMON_PROBLEMS: CodedConcept[] = [
  { system: 'icd10', code: 'I10', display: 'Essential (primary) hypertension' },
  { system: 'icd10', code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' },
  { system: 'icd10', code: 'J45.909', display: 'Unspecified asthma, uncomplicated' },
  { system: 'icd10', code: 'E78.5', display: 'Hyperlipidemia, unspecified' },
  { system: 'snomed', code: '35489007', display: 'Depressive disorder' },
  { system: 'snomed', code: '195967001', display: 'Asthma' },
];

export const COMMON_VACCINES: CodedConcept[] = [
  { system: 'cvx', code: '140', display: 'Influenza, seasonal, injectable, preservative free' },
  { system: 'cvx', code: '208', display: 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose' },
  { system: 'cvx', code: '115', display: 'Tdap' },
  { system: 'cvx', code: '33', display: 'Pneumococcal polysaccharide PPV23' },
  { system: 'cvx', code: '43', display: 'Hepatitis B, adult' },
];
