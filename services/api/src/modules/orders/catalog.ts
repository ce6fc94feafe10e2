/**
 * Orderable catalog as data. Lab tests carry LOINC order codes (panels and single analytes); imaging uses the
 * LOINC radiology terms; referrals use SNOMED CT "referral to <service>" procedures.
 */
import type { CatalogItem, OrderType } from '@wintehr/contracts';

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';

export type { CatalogItem, OrderType };

const lab = (code: string, display: string, detail: string, synonyms: string[] = [], fasting = false): CatalogItem => ({
  type: 'lab',
  system: LOINC,
  code,
  display,
  detail,
  synonyms,
  ...(fasting ? { fasting } : {}),
});
const img = (code: string, display: string, modality: string, synonyms: string[] = []): CatalogItem => ({
  type: 'imaging',
  system: LOINC,
  code,
  display,
  detail: modality,
  synonyms,
});
const ref = (code: string, display: string, specialty: string): CatalogItem => ({
  type: 'referral',
  system: SNOMED,
  code,
  display,
  detail: specialty,
  synonyms: [specialty],
});

export const LAB_CATALOG: readonly CatalogItem[] = [
  lab('58410-2', 'CBC panel - Blood by Automated count', 'Blood', ['cbc', 'blood count']),
  lab('57021-8', 'CBC W Auto Differential panel - Blood', 'Blood', ['cbc with diff', 'differential']),
  lab('51990-0', 'Basic metabolic panel - Blood', 'Serum/Plasma', ['bmp', 'chem 7', 'electrolytes']),
  lab('24323-8', 'Comprehensive metabolic 2000 panel - Serum or Plasma', 'Serum/Plasma', ['cmp', 'chem 14']),
  lab('24362-6', 'Renal function 2000 panel - Serum or Plasma', 'Serum/Plasma', ['renal panel', 'kidney']),
  lab('24325-3', 'Hepatic function 2000 panel - Serum or Plasma', 'Serum/Plasma', ['lft', 'liver panel']),
  lab(
    '57698-3',
    'Lipid panel with direct LDL - Serum or Plasma',
    'Serum/Plasma',
    ['lipids', 'cholesterol panel'],
    true,
  ),
  lab('24331-1', 'Lipid 1996 panel - Serum or Plasma', 'Serum/Plasma', ['lipids'], true),
  lab('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', 'Blood', ['a1c', 'hba1c', 'glycated hemoglobin']),
  lab('2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'Serum/Plasma', ['glucose', 'blood sugar']),
  lab('3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma', 'Serum/Plasma', ['tsh', 'thyroid']),
  lab('3024-7', 'Thyroxine (T4) free [Mass/volume] in Serum or Plasma', 'Serum/Plasma', ['free t4', 'ft4']),
  lab('6301-6', 'INR in Platelet poor plasma by Coagulation assay', 'Plasma', ['inr', 'pt/inr', 'coagulation']),
  lab('5902-2', 'Prothrombin time (PT)', 'Plasma', ['pt', 'protime']),
  lab('14979-9', 'aPTT in Platelet poor plasma by Coagulation assay', 'Plasma', ['ptt', 'aptt']),
  lab('2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'Serum/Plasma', ['k', 'potassium']),
  lab('2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'Serum/Plasma', ['na', 'sodium']),
  lab('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'Serum/Plasma', ['creatinine', 'cr']),
  lab('3094-0', 'Urea nitrogen [Mass/volume] in Serum or Plasma', 'Serum/Plasma', ['bun', 'urea']),
  lab(
    '98979-8',
    'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)',
    'Serum/Plasma',
    ['egfr', 'gfr'],
  ),
  lab('17861-6', 'Calcium [Mass/volume] in Serum or Plasma', 'Serum/Plasma', ['ca', 'calcium']),
  lab('19123-9', 'Magnesium [Mass/volume] in Serum or Plasma', 'Serum/Plasma', ['mg', 'magnesium']),
  lab('2777-1', 'Phosphate [Mass/volume] in Serum or Plasma', 'Serum/Plasma', ['phos', 'phosphorus']),
  lab('718-7', 'Hemoglobin [Mass/volume] in Blood', 'Blood', ['hgb', 'hb']),
  lab('777-3', 'Platelets [#/volume] in Blood by Automated count', 'Blood', ['plt', 'platelet count']),
  lab('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', 'Blood', ['wbc', 'white count']),
  lab('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'Serum/Plasma', ['total cholesterol'], true),
  lab('1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'Serum/Plasma', [
    'alt',
    'sgpt',
  ]),
  lab('1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'Serum/Plasma', [
    'ast',
    'sgot',
  ]),
  lab('2276-4', 'Ferritin [Mass/volume] in Serum or Plasma', 'Serum/Plasma', ['ferritin', 'iron stores']),
  lab('2132-9', 'Cobalamin (Vitamin B12) [Mass/volume] in Serum or Plasma', 'Serum/Plasma', ['b12', 'vitamin b12']),
  lab('62292-8', '25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma', 'Serum/Plasma', ['vitamin d', '25-oh d']),
  lab('1988-5', 'C reactive protein [Mass/volume] in Serum or Plasma', 'Serum/Plasma', ['crp']),
  lab('4537-7', 'Erythrocyte sedimentation rate by Westergren method', 'Blood', ['esr', 'sed rate']),
  lab('89579-7', 'Troponin I.cardiac [Mass/volume] in Serum or Plasma by High sensitivity method', 'Serum/Plasma', [
    'troponin',
    'hs-tni',
    'trop',
  ]),
  lab('33762-6', 'Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma', 'Serum/Plasma', [
    'nt-probnp',
    'bnp',
  ]),
  lab('48065-7', 'Fibrin D-dimer FEU [Mass/volume] in Platelet poor plasma', 'Plasma', ['d-dimer', 'ddimer']),
  lab('2524-7', 'Lactate [Moles/volume] in Serum or Plasma', 'Serum/Plasma', ['lactate', 'lactic acid']),
  lab('14959-1', 'Microalbumin/Creatinine [Mass Ratio] in Urine', 'Urine', ['uacr', 'microalbumin']),
  lab('24356-8', 'Urinalysis complete panel - Urine', 'Urine', ['ua', 'urinalysis']),
  lab('630-4', 'Bacteria identified in Urine by Culture', 'Urine', ['urine culture']),
  lab('600-7', 'Bacteria identified in Blood by Culture', 'Blood', ['blood culture']),
  lab('2857-1', 'Prostate specific Ag [Mass/volume] in Serum or Plasma', 'Serum/Plasma', ['psa']),
];

export const IMAGING_CATALOG: readonly CatalogItem[] = [
  img('36643-5', 'XR Chest 2 Views', 'XR', ['chest x-ray', 'cxr']),
  img('24627-2', 'CT Chest', 'CT', ['ct thorax']),
  img('24725-4', 'CT Head', 'CT', ['ct brain']),
  img('41806-1', 'CT Abdomen', 'CT', ['ct abd']),
  img('24590-2', 'MR Brain', 'MR', ['mri head', 'mri brain']),
  img('24604-1', 'MG Breast Diagnostic Limited Views', 'MG', ['mammogram']),
  img('42148-7', 'US Heart (Echocardiography)', 'US', ['echo', 'tte']),
];

export const REFERRAL_CATALOG: readonly CatalogItem[] = [
  ref('183519002', 'Referral to cardiology service', 'Cardiology'),
  ref('306118006', 'Referral to endocrinology service', 'Endocrinology'),
  ref('3457005', 'Patient referral', 'General'),
];

const ALL = [...LAB_CATALOG, ...IMAGING_CATALOG, ...REFERRAL_CATALOG];
const BY_KEY = new Map(ALL.map((i) => [`${i.type}|${i.code}`, i]));

export function catalogItem(type: OrderType, code: string): CatalogItem | undefined {
  return BY_KEY.get(`${type}|${code}`);
}

/** Pure catalog search: every word of the query must match the code, display or a synonym (case-insensitive). */
export function searchCatalog(type: OrderType | undefined, q: string | undefined, limit = 50): CatalogItem[] {
  const words = (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return ALL.filter((i) => !type || i.type === type)
    .filter((i) => {
      const hay = [i.code, i.display, ...(i.synonyms ?? [])].join(' ').toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .slice(0, limit);
}
